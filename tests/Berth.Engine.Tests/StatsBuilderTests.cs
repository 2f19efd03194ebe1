using System.Text.Json;
using Berth.Api.Json;
using Berth.Engine.Containers;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Tests;

/// <summary>The stats object's shape, against dockerd 20.10's recorded bodies.</summary>
public sealed class StatsBuilderTests
{
    private static readonly ContainerRecord Record = new() { Id = new string('a', 64), Name = "/up1" };

    private static StatsSample Sample(DateTimeOffset time, ulong total, ulong system, ulong? limit, BlockIoCounters io) => new(
        time,
        new CgroupStats
        {
            Cpu = new CpuCounters { Total = total, PerCpu = [total] },
            Memory = new MemoryCounters { Usage = 520192, Limit = limit, Stats = new Dictionary<string, ulong> { ["rss"] = 49152, ["cache"] = 0 } },
            Pids = new PidsCounters(1, null),
            BlockIo = io,
        },
        system, 2, [], 25_000_000_000);

    [Fact]
    public void A_stopped_container_gives_dockerds_empty_object()
    {
        Assert.Equal(
            "{\"read\":\"0001-01-01T00:00:00Z\",\"preread\":\"0001-01-01T00:00:00Z\",\"pids_stats\":{},\"blkio_stats\":{\"io_service_bytes_recursive\":null,\"io_serviced_recursive\":null,\"io_queue_recursive\":null,\"io_service_time_recursive\":null,\"io_wait_time_recursive\":null,\"io_merged_recursive\":null,\"io_time_recursive\":null,\"sectors_recursive\":null},\"num_procs\":0,\"storage_stats\":{},\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}},\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":0,\"usage_in_kernelmode\":0,\"usage_in_usermode\":0},\"throttling_data\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0}},\"memory_stats\":{},\"name\":\"/up1\",\"id\":\"" + Record.Id + "\"}",
            JsonSerializer.Serialize(StatsBuilder.NotRunning(Record), WireJson.Default.ContainerStats));
    }

    [Fact]
    public void A_reading_carries_the_previous_one_and_unlimited_memory_shows_the_hosts()
    {
        var v1 = new BlockIoCounters { ServiceBytes = [], Serviced = [] };
        var t0 = new DateTimeOffset(2026, 11, 22, 7, 47, 28, TimeSpan.Zero);
        var first = StatsBuilder.After(StatsBuilder.Build(Record, Sample(t0, 100, 1000, null, v1)), null);
        var stats = StatsBuilder.After(StatsBuilder.Build(Record, Sample(t0.AddSeconds(1), 300, 2000, 9223372036854771712, v1)), first);
        Assert.Equal("2026-11-22T07:47:28Z", stats.PreRead);
        Assert.Equal((300UL, 100UL), (stats.CpuStats.CpuUsage.TotalUsage, stats.PreCpuStats.CpuUsage.TotalUsage));
        Assert.Equal(25_000_000_000UL, stats.MemoryStats.Limit);
        Assert.Equal(["cache", "rss"], stats.MemoryStats.Stats!.Keys);
        Assert.Equal([], stats.BlkioStats.SectorsRecursive!);
        Assert.Null(stats.Networks);
        var json = JsonSerializer.Serialize(stats, WireJson.Default.ContainerStats);
        Assert.Contains("\"pids_stats\":{\"current\":1}", json);
        Assert.Contains("\"percpu_usage\":[300]", json);
    }

    [Fact]
    public void A_lone_reading_has_no_previous_one_and_v2_sends_byte_counts_only()
    {
        var v2 = new BlockIoCounters { ServiceBytes = [new BlockIoEntry(8, 0, "read", 10), new BlockIoEntry(8, 0, "write", 20)], Serviced = null };
        var stats = StatsBuilder.Build(Record, Sample(DateTimeOffset.UtcNow, 300, 2000, 62914560, v2));
        Assert.Equal("0001-01-01T00:00:00Z", stats.PreRead);
        Assert.Equal(0UL, stats.PreCpuStats.SystemUsage);
        Assert.Equal(62914560UL, stats.MemoryStats.Limit);
        Assert.Equal(2, stats.BlkioStats.IoServiceBytesRecursive!.Count);
        Assert.Null(stats.BlkioStats.IoServicedRecursive);
    }

    [Fact]
    public void An_empty_object_after_a_reading_still_carries_it_as_dockerd_does_when_a_container_stops()
    {
        var v1 = new BlockIoCounters { ServiceBytes = [], Serviced = [] };
        var last = StatsBuilder.Build(Record, Sample(new DateTimeOffset(2026, 11, 22, 7, 47, 28, TimeSpan.Zero), 100, 1000, null, v1));
        var stopped = StatsBuilder.After(StatsBuilder.NotRunning(Record), last);
        Assert.Equal(("0001-01-01T00:00:00Z", "2026-11-22T07:47:28Z"), (stopped.Read, stopped.PreRead));
        Assert.Equal(100UL, stopped.PreCpuStats.CpuUsage.TotalUsage);
        Assert.Equal("0001-01-01T00:00:00Z", StatsBuilder.After(StatsBuilder.NotRunning(Record), stopped).PreRead);
    }
}
