using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Volumes;

/// <summary>A volume as <c>GET /volumes/{name}</c> and the list answer it, in dockerd's field order.</summary>
public sealed class Volume
{
    public string CreatedAt { get; set; } = "";
    public string Driver { get; set; } = "local";
    public Dictionary<string, string>? Labels { get; set; }
    public string Mountpoint { get; set; } = "";
    public string Name { get; set; } = "";
    public Dictionary<string, string>? Options { get; set; }
    public string Scope { get; set; } = "local";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public VolumeUsageData? UsageData { get; set; }
}

/// <summary>Size and reference count, filled by <c>system df</c>; -1 where not computed.</summary>
public sealed class VolumeUsageData
{
    public long Size { get; set; } = -1;
    public long RefCount { get; set; } = -1;
}

public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = [];
    public List<string>? Warnings { get; set; }
}

/// <summary>The body of <c>POST /volumes/create</c>.</summary>
public sealed class VolumeCreateRequest
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "";
    public Dictionary<string, string>? DriverOpts { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

public sealed class VolumesPruneResponse
{
    public List<string>? VolumesDeleted { get; set; }
    public ulong SpaceReclaimed { get; set; }
}
