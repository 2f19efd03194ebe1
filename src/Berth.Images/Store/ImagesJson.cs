using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Images.Transfer;

namespace Berth.Images.Store;

/// <summary>Source-generated JSON for the image store's own files and the archive formats.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ImageConfigDocument))]
[JsonSerializable(typeof(ImageMetadataRecord))]
[JsonSerializable(typeof(ReferencesFile))]
[JsonSerializable(typeof(List<ArchiveManifestEntry>))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
public sealed partial class ImagesJson : JsonSerializerContext
{
    /// <summary>Compact output for what Berth writes (configs, manifests), with no escaping of <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> that Go would not do either.</summary>
    public static ImagesJson Compact { get; } = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        PropertyNameCaseInsensitive = true,
    });
}
