using System.Text.Json.Serialization;

namespace Berth.Volumes.Store;

/// <summary>What berthd keeps of a volume (<c>DATA-ROOT/volumes/NAME/volume.json</c>), written whole and atomically; its data is in <c>_data</c> beside it.</summary>
public sealed class VolumeRecord
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "local";
    public DateTime CreatedAt { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    /// <summary>The local driver's options: <c>type</c>, <c>device</c> and <c>o</c>, as <c>mount -t type -o o device</c>.</summary>
    public Dictionary<string, string> Options { get; set; } = [];
    /// <summary>Made for one container (<c>-v /path</c>, an image's VOLUME): removed with it by <c>rm -v</c> and <c>--rm</c>, and by a plain prune.</summary>
    public bool Anonymous { get; set; }

    [JsonIgnore] public bool NeedsMount => Options.ContainsKey("type") || Options.ContainsKey("device");
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumeRecordJson : JsonSerializerContext;
