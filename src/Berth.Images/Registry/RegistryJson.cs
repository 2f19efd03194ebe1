using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Images.Registry;

/// <summary>Source-generated JSON for the distribution metadata berthd keeps and the messages it quotes.</summary>
[JsonSerializable(typeof(List<DistributionSource>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(PushAux))]
[JsonSerializable(typeof(TagList))]
internal sealed partial class RegistryJson : JsonSerializerContext
{
    /// <summary>No escaping of characters Go would leave alone.</summary>
    public static RegistryJson Relaxed { get; } = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
