using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>The cgroup file parsers on contents copied from real v1 and v2 hosts.</summary>
public sealed class CgroupParserTests
{
    [Fact]
    public void V1_cpu_counters_turn_ticks_into_nanoseconds_and_keep_per_cpu_usage()
    {
        var cpu = CgroupV1Reader.ParseCpu("25005498\n", "user 1\nsystem 2\n", "3806792 21198706 \n",
            "nr_periods 7\nnr_throttled 3\nthrottled_time 123456\nnr_bursts 0\nburst_time 0\n");
        Assert.Equal(25005498UL, cpu.Total);
        Assert.Equal(10_000_000UL, cpu.User);
        Assert.Equal(20_000_000UL, cpu.System);
        Assert.Equal([3806792UL, 21198706UL], cpu.PerCpu);
        Assert.Equal((7UL, 3UL, 123456UL), (cpu.Periods, cpu.ThrottledPeriods, cpu.ThrottledTime));
    }

    [Fact]
    public void V1_memory_keeps_dockerds_stat_keys_only()
    {
        var memory = CgroupV1Reader.ParseMemory("520192\n", "4075520\n", "0\n", "62914560\n",
            "cache 0\nrss 49152\nshmem 0\nswap 0\ninactive_file 8192\ntotal_inactive_file 8192\nhierarchical_memory_limit 62914560\n");
        Assert.Equal(520192UL, memory.Usage);
        Assert.Equal(4075520UL, memory.MaxUsage);
        Assert.Equal(62914560UL, memory.Limit);
        Assert.Equal(49152UL, memory.Stats["rss"]);
        Assert.Equal(8192UL, memory.Stats["total_inactive_file"]);
        Assert.False(memory.Stats.ContainsKey("shmem"));
        Assert.False(memory.Stats.ContainsKey("swap"));
    }

    [Fact]
    public void V2_cpu_counters_turn_microseconds_into_nanoseconds()
    {
        var cpu = CgroupV2Reader.ParseCpu("usage_usec 25005\nuser_usec 10000\nsystem_usec 15005\nnr_periods 4\nnr_throttled 1\nthrottled_usec 250\n");
        Assert.Equal(25_005_000UL, cpu.Total);
        Assert.Equal(10_000_000UL, cpu.User);
        Assert.Equal(15_005_000UL, cpu.System);
        Assert.Null(cpu.PerCpu);
        Assert.Equal((4UL, 1UL, 250_000UL), (cpu.Periods, cpu.ThrottledPeriods, cpu.ThrottledTime));
    }

    [Fact]
    public void V2_memory_reads_max_as_unlimited_and_the_oom_count_as_failcnt()
    {
        var memory = CgroupV2Reader.ParseMemory("1048576\n", "max\n", "anon 45056\nfile 4096\ninactive_file 4096\nsock 0\n", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
        Assert.Equal(1048576UL, memory.Usage);
        Assert.Null(memory.Limit);
        Assert.Equal(1UL, memory.Failcnt);
        Assert.Equal(45056UL, memory.Stats["anon"]);
        Assert.Equal(4096UL, memory.Stats["inactive_file"]);
        Assert.Equal(0UL, memory.Stats["thp_collapse_alloc"]);
        Assert.Equal(31, memory.Stats.Count);
        Assert.Equal(20971520UL, CgroupV2Reader.ParseMemory("0", "20971520\n", "", "").Limit);
    }

    [Fact]
    public void V1_blkio_lines_become_entries_without_the_total()
    {
        var entries = CgroupFiles.ParseBlkio("8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n");
        Assert.Equal(6, entries.Count);
        Assert.Equal(new BlockIoEntry(8, 0, "Read", 4096), entries[0]);
        Assert.Equal(new BlockIoEntry(8, 0, "Write", 8192), entries[1]);
        Assert.Empty(CgroupFiles.ParseBlkio("Total 0\n"));
    }

    [Fact]
    public void V2_io_stat_gives_read_and_write_bytes_per_device()
    {
        var entries = CgroupFiles.ParseIoStat("254:0 rbytes=1048576 wbytes=4096 rios=10 wios=1 dbytes=0 dios=0\n8:16 rbytes=0 wbytes=512 rios=0 wios=1 dbytes=0 dios=0\n");
        Assert.Equal(
            [new BlockIoEntry(254, 0, "read", 1048576), new BlockIoEntry(254, 0, "write", 4096), new BlockIoEntry(8, 16, "read", 0), new BlockIoEntry(8, 16, "write", 512)],
            entries);
    }

    [Fact]
    public void Pids_limits_and_process_lists_parse()
    {
        Assert.Null(CgroupFiles.ParseLimit("max\n"));
        Assert.Equal(50UL, CgroupFiles.ParseLimit("50\n"));
        Assert.Equal([12, 345], CgroupFiles.ParsePids("12\n345\n"));
        Assert.Empty(CgroupFiles.ParsePids(""));
    }

    [Fact]
    public void Proc_stat_gives_the_host_cpu_time_in_nanoseconds_and_the_online_cpus()
    {
        var (usage, cpus) = HostCpu.Parse(
            "cpu  25455 0 5867 61705 332 0 75 1337 0 0\ncpu0 12335 0 2666 31657 33 0 16 674 0 0\ncpu1 13120 0 3200 30048 298 0 58 663 0 0\nintr 1 2 3\nctxt 99\n");
        // user + nice + system + idle + iowait + irq + softirq; steal and the guest times are not counted.
        Assert.Equal((25455UL + 5867 + 61705 + 332 + 75) * 10_000_000, usage);
        Assert.Equal(2U, cpus);
    }

    [Fact]
    public void Net_dev_lists_interfaces_but_loopback()
    {
        const string netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
              eth0:  123456     100    1    2    0     0          0         0    65432      50    3    4    0     0       0          0
            """;
        var interfaces = NetworkCounters.Parse(netDev);
        Assert.Equal([new InterfaceCounters("eth0", 123456, 100, 1, 2, 65432, 50, 3, 4)], interfaces);
    }
}
