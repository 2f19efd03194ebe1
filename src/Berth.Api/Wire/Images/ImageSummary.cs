using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Images;

/// <summary>One entry of <c>GET /images/json</c> (keys in dockerd's alphabetical order).</summary>
public sealed class ImageSummary
{
    public long Containers { get; set; } = -1;
    public long Created { get; init; }
    public required string Id { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string ParentId { get; init; } = "";
    /// <summary>Null only for clients before API 1.43, which dockerd sent null for "no digests".</summary>
    public required List<string>? RepoDigests { get; init; }
    public required List<string> RepoTags { get; init; }
    public long SharedSize { get; set; } = -1;
    public long Size { get; init; }
    /// <summary>Sent to clients of API versions before 1.44 only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? VirtualSize { get; init; }
}
