using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Images;

/// <summary>The body of <c>GET /images/{name}/json</c>.</summary>
public sealed class ImageInspect
{
    public required string Id { get; init; }
    public required List<string> RepoTags { get; init; }
    public required List<string> RepoDigests { get; init; }
    public string Parent { get; init; } = "";
    public string Comment { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Created { get; init; }
    /// <summary>Sent to clients of API versions before 1.45 only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Container { get; init; }
    /// <summary>Sent to clients of API versions before 1.45 only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ContainerConfig? ContainerConfig { get; init; }
    public string DockerVersion { get; init; } = "";
    public string Author { get; init; } = "";
    public ContainerConfig? Config { get; init; }
    public string Architecture { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; init; }
    public string Os { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; init; }
    public long Size { get; init; }
    /// <summary>Sent to clients of API versions before 1.44 only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? VirtualSize { get; init; }
    public required DriverData GraphDriver { get; init; }
    public required RootFs RootFS { get; init; }
    public required ImageMetadata Metadata { get; init; }
}

public sealed class DriverData
{
    public required string Name { get; init; }
    public Dictionary<string, string>? Data { get; init; }
}

public sealed class RootFs
{
    public string Type { get; init; } = "layers";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Layers { get; init; }
}

public sealed class ImageMetadata
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? LastTagTime { get; init; }
}
