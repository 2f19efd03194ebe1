using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Daemon;

/// <summary>The body of <c>GET /version</c>.</summary>
public sealed class SystemVersion
{
    public required PlatformName Platform { get; init; }
    public required List<ComponentVersion> Components { get; init; }
    public required string Version { get; init; }
    public required string ApiVersion { get; init; }
    public required string MinAPIVersion { get; init; }
    public string GitCommit { get; init; } = "";
    public string GoVersion { get; init; } = "";
    public string Os { get; init; } = "linux";
    public string Arch { get; init; } = "";
    public string KernelVersion { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Experimental { get; init; }
    public string BuildTime { get; init; } = "";
}

public sealed class PlatformName
{
    public required string Name { get; init; }
}

public sealed class ComponentVersion
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public Dictionary<string, string>? Details { get; init; }
}
