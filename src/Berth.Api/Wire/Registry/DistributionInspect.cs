using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Registry;

/// <summary><c>GET /distribution/{name}/json</c>: what a registry holds for a reference, and for which platforms.</summary>
public sealed class DistributionInspect
{
    public required DistributionDescriptor Descriptor { get; init; }
    public List<DistributionPlatform> Platforms { get; init; } = [];
}

public sealed class DistributionDescriptor
{
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("digest")] public required string Digest { get; init; }
    [JsonPropertyName("size")] public long Size { get; init; }
}

/// <summary>An OCI platform, with the optional fields left out when empty as Go leaves them out.</summary>
public sealed class DistributionPlatform
{
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; init; }
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? OsFeatures { get; init; }
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; init; }
}
