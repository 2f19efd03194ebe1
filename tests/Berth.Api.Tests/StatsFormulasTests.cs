using Berth.Api.Wire.Containers;

namespace Berth.Api.Tests;

/// <summary>The docker CLI's stats columns, computed as the CLI computes them.</summary>
public sealed class StatsFormulasTests
{
    private static ContainerStats Reading(ulong total, ulong system, ulong preTotal, ulong preSystem, uint cpus) => new()
    {
        CpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = total }, SystemUsage = system, OnlineCpus = cpus },
        PreCpuStats = new CpuStats { CpuUsage = new CpuUsage { TotalUsage = preTotal }, SystemUsage = preSystem },
    };

    [Fact]
    public void Cpu_percent_is_the_share_of_host_time_times_the_online_cpus()
    {
        // 0.5 s of container time while the host (2 CPUs) counted 2 s: one CPU half busy is 50 %.
        Assert.Equal(50.0, StatsFormulas.CpuPercent(Reading(1_500_000_000, 12_000_000_000, 1_000_000_000, 10_000_000_000, 2)), 6);
    }

    [Fact]
    public void Cpu_percent_is_zero_without_a_previous_reading_gap_or_container_time()
    {
        Assert.Equal(0, StatsFormulas.CpuPercent(Reading(100, 500, 100, 400, 2)));
        Assert.Equal(0, StatsFormulas.CpuPercent(Reading(200, 400, 100, 400, 2)));
        Assert.Equal(0, StatsFormulas.CpuPercent(new ContainerStats()));
    }

    [Fact]
    public void Cpu_percent_counts_per_cpu_entries_when_online_cpus_is_missing()
    {
        var stats = Reading(1_500_000_000, 12_000_000_000, 1_000_000_000, 10_000_000_000, 0);
        stats.CpuStats.CpuUsage.PercpuUsage = [1, 2, 3, 4];
        Assert.Equal(100.0, StatsFormulas.CpuPercent(stats), 6);
    }

    [Fact]
    public void Memory_usage_leaves_out_inactive_file_cache_on_both_cgroup_versions()
    {
        var v1 = new MemoryStats { Usage = 10_000, Limit = 100_000, Stats = new() { ["total_inactive_file"] = 2_000, ["inactive_file"] = 1_000 } };
        Assert.Equal(8_000, StatsFormulas.MemoryUsage(v1));
        Assert.Equal(8.0, StatsFormulas.MemoryPercent(v1), 6);
        var v2 = new MemoryStats { Usage = 10_000, Limit = 40_000, Stats = new() { ["inactive_file"] = 6_000 } };
        Assert.Equal(4_000, StatsFormulas.MemoryUsage(v2));
        Assert.Equal(10.0, StatsFormulas.MemoryPercent(v2), 6);
        Assert.Equal(0, StatsFormulas.MemoryPercent(new MemoryStats()));
    }

    [Fact]
    public void Block_and_network_io_add_up_over_devices_and_interfaces()
    {
        var blkio = new BlkioStats
        {
            IoServiceBytesRecursive =
            [
                new() { Op = "Read", Value = 100 }, new() { Op = "Write", Value = 10 }, new() { Op = "Total", Value = 110 },
                new() { Op = "read", Value = 5 }, new() { Op = "write", Value = 1 },
            ],
        };
        Assert.Equal((105UL, 11UL), StatsFormulas.BlockIo(blkio));
        var stats = new ContainerStats { Networks = new() { ["eth0"] = new() { RxBytes = 7, TxBytes = 3 }, ["eth1"] = new() { RxBytes = 1, TxBytes = 1 } } };
        Assert.Equal((8UL, 4UL), StatsFormulas.Network(stats));
    }
}
