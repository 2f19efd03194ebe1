namespace Berth.Runtime.Cgroups;

/// <summary>A container's cgroup on the v1 controllers: cpuacct, cpu, memory, pids, blkio, freezer.</summary>
internal sealed class CgroupV1Reader(string root, string cgroupPath) : ICgroupReader
{
    /// <summary>The kernel exports CPU times in USER_HZ ticks, which is 100 on every Linux architecture.</summary>
    private const ulong NanosecondsPerTick = 1_000_000_000 / 100;

    /// <summary>The memory.stat entries dockerd 20.10 (through containerd's v1 metrics) reports.</summary>
    internal static readonly string[] MemoryStatKeys =
    [
        "cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback", "pgpgin", "pgpgout", "pgfault", "pgmajfault",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "hierarchical_memory_limit", "hierarchical_memsw_limit",
        "total_cache", "total_rss", "total_rss_huge", "total_mapped_file", "total_dirty", "total_writeback", "total_pgpgin", "total_pgpgout",
        "total_pgfault", "total_pgmajfault", "total_inactive_anon", "total_active_anon", "total_inactive_file", "total_active_file", "total_unevictable",
    ];

    private string File(string controller, string name) => Path.Combine(root, controller) + cgroupPath + "/" + name;

    public CgroupStats ReadStats() => new()
    {
        Cpu = ParseCpu(CgroupFiles.Read(File("cpuacct", "cpuacct.usage")), CgroupFiles.Read(File("cpuacct", "cpuacct.stat")),
            CgroupFiles.Read(File("cpuacct", "cpuacct.usage_percpu")), CgroupFiles.Read(File("cpu", "cpu.stat"))),
        Memory = ParseMemory(CgroupFiles.Read(File("memory", "memory.usage_in_bytes")), CgroupFiles.Read(File("memory", "memory.max_usage_in_bytes")),
            CgroupFiles.Read(File("memory", "memory.failcnt")), CgroupFiles.Read(File("memory", "memory.limit_in_bytes")), CgroupFiles.Read(File("memory", "memory.stat"))),
        Pids = new PidsCounters(CgroupFiles.ParseNumber(CgroupFiles.Read(File("pids", "pids.current"))), CgroupFiles.ParseLimit(CgroupFiles.Read(File("pids", "pids.max")))),
        BlockIo = ReadBlockIo(),
    };

    internal static CpuCounters ParseCpu(string usage, string stat, string perCpu, string cpuStat)
    {
        var times = CgroupFiles.ParseFlatKeyed(stat);
        var throttling = CgroupFiles.ParseFlatKeyed(cpuStat);
        var percpu = CgroupFiles.ParseList(perCpu);
        return new CpuCounters
        {
            Total = CgroupFiles.ParseNumber(usage),
            User = times.GetValueOrDefault("user") * NanosecondsPerTick,
            System = times.GetValueOrDefault("system") * NanosecondsPerTick,
            PerCpu = percpu.Count > 0 ? percpu : null,
            Periods = throttling.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
            ThrottledTime = throttling.GetValueOrDefault("throttled_time"),
        };
    }

    internal static MemoryCounters ParseMemory(string usage, string maxUsage, string failcnt, string limit, string stat)
    {
        var all = CgroupFiles.ParseFlatKeyed(stat);
        var stats = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var key in MemoryStatKeys)
            if (all.TryGetValue(key, out var v)) stats[key] = v;
        return new MemoryCounters
        {
            Usage = CgroupFiles.ParseNumber(usage),
            MaxUsage = CgroupFiles.ParseNumber(maxUsage),
            Failcnt = CgroupFiles.ParseNumber(failcnt),
            Limit = CgroupFiles.ParseLimit(limit),
            Stats = stats,
        };
    }

    /// <summary>CFQ's counters where the kernel has them, else the throttle counters, as containerd chooses.</summary>
    private BlockIoCounters ReadBlockIo()
    {
        var prefix = System.IO.File.Exists(File("blkio", "blkio.io_serviced_recursive")) ? "blkio." : "blkio.throttle.";
        return new BlockIoCounters
        {
            ServiceBytes = CgroupFiles.ParseBlkio(CgroupFiles.Read(File("blkio", prefix + "io_service_bytes_recursive"))),
            Serviced = CgroupFiles.ParseBlkio(CgroupFiles.Read(File("blkio", prefix + "io_serviced_recursive"))),
        };
    }

    public IReadOnlyList<int> Processes()
    {
        // Every v1 controller holds the same processes; pids is there whenever runc made the cgroup, freezer and memory too.
        foreach (var controller in new[] { "pids", "freezer", "memory", "cpu" })
        {
            var path = File(controller, "cgroup.procs");
            if (System.IO.File.Exists(path)) return CgroupFiles.ParsePids(CgroupFiles.Read(path));
        }
        return [];
    }

    public bool IsFrozen() => CgroupFiles.Read(File("freezer", "freezer.state")).Trim() is "FROZEN" or "FREEZING";

    public bool WasOomKilled() => CgroupFiles.ParseFlatKeyed(CgroupFiles.Read(File("memory", "memory.oom_control"))).GetValueOrDefault("oom_kill") > 0;
}
