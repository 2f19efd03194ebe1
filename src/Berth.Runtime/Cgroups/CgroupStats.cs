namespace Berth.Runtime.Cgroups;

/// <summary>One reading of a container's cgroup counters, whichever cgroup version they came from.</summary>
public sealed record CgroupStats
{
    public required CpuCounters Cpu { get; init; }
    public required MemoryCounters Memory { get; init; }
    public required PidsCounters Pids { get; init; }
    public required BlockIoCounters BlockIo { get; init; }
}

/// <summary>CPU time in nanoseconds; <see cref="PerCpu"/> only on cgroup v1 (cpuacct.usage_percpu).</summary>
public sealed record CpuCounters
{
    public ulong Total { get; init; }
    public ulong User { get; init; }
    public ulong System { get; init; }
    public IReadOnlyList<ulong>? PerCpu { get; init; }
    public ulong Periods { get; init; }
    public ulong ThrottledPeriods { get; init; }
    public ulong ThrottledTime { get; init; }
}

/// <summary>Memory use in bytes; <see cref="Limit"/> is null when the cgroup has none.</summary>
public sealed record MemoryCounters
{
    public ulong Usage { get; init; }
    public ulong MaxUsage { get; init; }
    public ulong Failcnt { get; init; }
    public ulong? Limit { get; init; }

    /// <summary>The memory.stat entries dockerd reports, keyed as the kernel names them for this cgroup version.</summary>
    public IReadOnlyDictionary<string, ulong> Stats { get; init; } = new Dictionary<string, ulong>();
}

/// <summary>Tasks in the cgroup; <see cref="Limit"/> is null for "max".</summary>
public sealed record PidsCounters(ulong Current, ulong? Limit);

/// <summary>Block I/O per device and operation.</summary>
public sealed record BlockIoCounters
{
    /// <summary>Bytes per device and operation ("Read"/"Write"… on v1, "read"/"write" on v2).</summary>
    public IReadOnlyList<BlockIoEntry> ServiceBytes { get; init; } = [];

    /// <summary>Operations per device and operation; v1 only (null on v2, as dockerd sends it).</summary>
    public IReadOnlyList<BlockIoEntry>? Serviced { get; init; }
}

public sealed record BlockIoEntry(ulong Major, ulong Minor, string Op, ulong Value);
