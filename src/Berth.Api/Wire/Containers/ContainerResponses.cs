using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Containers;

public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public WaitExitError? Error { get; set; }
}

public sealed class WaitExitError
{
    public string Message { get; set; } = "";
}

public sealed class ContainerTopResponse
{
    /// <summary>null when no process matched, as Go's nil slice.</summary>
    public List<List<string>>? Processes { get; set; }
    public List<string> Titles { get; set; } = [];
}

public sealed class ContainerChange
{
    public string Path { get; set; } = "";
    public int Kind { get; set; }
}

public sealed class ContainersPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}

public sealed class ContainerUpdateResponse
{
    public List<string> Warnings { get; set; } = [];
}

/// <summary>The body of <c>POST /containers/{id}/update</c>: the resource limits and the restart policy.</summary>
public sealed class ContainerUpdateRequest
{
    public long CpuShares { get; set; }
    public long Memory { get; set; }
    public long NanoCpus { get; set; }
    public int BlkioWeight { get; set; }
    public long CpuPeriod { get; set; }
    public long CpuQuota { get; set; }
    public string CpusetCpus { get; set; } = "";
    public string CpusetMems { get; set; } = "";
    public long MemoryReservation { get; set; }
    public long MemorySwap { get; set; }
    public long KernelMemory { get; set; }
    public long? PidsLimit { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
}

/// <summary>The stat of a path in a container, sent base64-encoded in <c>X-Docker-Container-Path-Stat</c>.</summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("mode")] public uint Mode { get; set; }
    [JsonPropertyName("mtime")] public string Mtime { get; set; } = "";
    [JsonPropertyName("linkTarget")] public string LinkTarget { get; set; } = "";
}
