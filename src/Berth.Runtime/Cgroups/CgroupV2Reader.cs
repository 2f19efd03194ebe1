namespace Berth.Runtime.Cgroups;

/// <summary>A container's cgroup on the unified (v2) hierarchy: cpu.stat, memory.*, pids.*, io.stat, cgroup.freeze.</summary>
internal sealed class CgroupV2Reader(string root, string cgroupPath) : ICgroupReader
{
    /// <summary>The memory.stat entries dockerd 20.10 reports on cgroup v2.</summary>
    internal static readonly string[] MemoryStatKeys =
    [
        "anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped", "file_dirty", "file_writeback", "anon_thp",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
        "pgfault", "pgmajfault", "workingset_refault", "workingset_activate", "workingset_nodereclaim", "pgrefill", "pgscan", "pgsteal",
        "pgactivate", "pgdeactivate", "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc",
    ];

    private string File(string name) => root + cgroupPath + "/" + name;

    public CgroupStats ReadStats() => new()
    {
        Cpu = ParseCpu(CgroupFiles.Read(File("cpu.stat"))),
        Memory = ParseMemory(CgroupFiles.Read(File("memory.current")), CgroupFiles.Read(File("memory.max")), CgroupFiles.Read(File("memory.stat")),
            CgroupFiles.Read(File("memory.events"))),
        Pids = new PidsCounters(CgroupFiles.ParseNumber(CgroupFiles.Read(File("pids.current"))), CgroupFiles.ParseLimit(CgroupFiles.Read(File("pids.max")))),
        BlockIo = new BlockIoCounters { ServiceBytes = CgroupFiles.ParseIoStat(CgroupFiles.Read(File("io.stat"))), Serviced = null },
    };

    /// <summary>cpu.stat counts microseconds; the Docker API counts nanoseconds.</summary>
    internal static CpuCounters ParseCpu(string cpuStat)
    {
        var stat = CgroupFiles.ParseFlatKeyed(cpuStat);
        return new CpuCounters
        {
            Total = stat.GetValueOrDefault("usage_usec") * 1000,
            User = stat.GetValueOrDefault("user_usec") * 1000,
            System = stat.GetValueOrDefault("system_usec") * 1000,
            PerCpu = null,
            Periods = stat.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
            ThrottledTime = stat.GetValueOrDefault("throttled_usec") * 1000,
        };
    }

    /// <summary>v2 has no max usage; failcnt is the "oom" count of memory.events, as dockerd reports it.</summary>
    internal static MemoryCounters ParseMemory(string current, string max, string stat, string events)
    {
        var all = CgroupFiles.ParseFlatKeyed(stat);
        var stats = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var key in MemoryStatKeys) stats[key] = all.GetValueOrDefault(key);
        return new MemoryCounters
        {
            Usage = CgroupFiles.ParseNumber(current),
            Limit = CgroupFiles.ParseLimit(max),
            Failcnt = CgroupFiles.ParseFlatKeyed(events).GetValueOrDefault("oom"),
            Stats = stats,
        };
    }

    public IReadOnlyList<int> Processes() => CgroupFiles.ParsePids(CgroupFiles.Read(File("cgroup.procs")));

    public bool IsFrozen() => CgroupFiles.Read(File("cgroup.freeze")).Trim() == "1";

    public bool WasOomKilled() => CgroupFiles.ParseFlatKeyed(CgroupFiles.Read(File("memory.events"))).GetValueOrDefault("oom_kill") > 0;
}
