using Berth.Api;
using Berth.Api.Wire.Containers;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers;

/// <summary>One reading of a container: its cgroup counters, the host's CPU time, its interfaces.</summary>
public sealed record StatsSample(DateTimeOffset Time, CgroupStats Cgroup, ulong SystemCpuUsage, uint OnlineCpus,
    IReadOnlyList<InterfaceCounters> Interfaces, ulong HostMemory);

/// <summary>Turns readings into the Docker stats object, with dockerd's rules for what is left empty.</summary>
public static class StatsBuilder
{
    /// <summary>dockerd's answer for a container that is not running: zero times, empty sections, no block I/O lists.</summary>
    public static ContainerStats NotRunning(ContainerRecord record) => new() { Name = record.Name, Id = record.Id };

    /// <summary>The object with the one sent before it as its previous reading, as dockerd chains them.</summary>
    public static ContainerStats After(ContainerStats current, ContainerStats? previous)
    {
        current.PreRead = previous?.Read ?? GoTime.ZeroTime;
        current.PreCpuStats = previous?.CpuStats ?? new CpuStats();
        return current;
    }

    public static ContainerStats Build(ContainerRecord record, StatsSample sample)
    {
        var c = sample.Cgroup;
        var limit = c.Memory.Limit is { } l && l < sample.HostMemory ? l : sample.HostMemory;
        return new ContainerStats
        {
            Read = GoTime.Format(sample.Time),
            PidsStats = new PidsStats { Current = c.Pids.Current, Limit = c.Pids.Limit ?? 0 },
            BlkioStats = Blkio(c.BlockIo),
            CpuStats = Cpu(sample),
            MemoryStats = new MemoryStats
            {
                Usage = c.Memory.Usage,
                MaxUsage = c.Memory.MaxUsage,
                Stats = new SortedDictionary<string, ulong>(c.Memory.Stats.ToDictionary(), StringComparer.Ordinal),
                Failcnt = c.Memory.Failcnt,
                // Unlimited (or above the host's memory) shows as the host's memory, as in dockerd.
                Limit = limit,
            },
            Name = record.Name,
            Id = record.Id,
            Networks = sample.Interfaces.Count == 0 ? null : sample.Interfaces.ToDictionary(i => i.Name, i => new NetworkStats
            {
                RxBytes = i.RxBytes, RxPackets = i.RxPackets, RxErrors = i.RxErrors, RxDropped = i.RxDropped,
                TxBytes = i.TxBytes, TxPackets = i.TxPackets, TxErrors = i.TxErrors, TxDropped = i.TxDropped,
            }),
        };
    }

    private static CpuStats Cpu(StatsSample sample) => new()
    {
        CpuUsage = new CpuUsage
        {
            TotalUsage = sample.Cgroup.Cpu.Total,
            PercpuUsage = sample.Cgroup.Cpu.PerCpu?.ToList(),
            UsageInKernelmode = sample.Cgroup.Cpu.System,
            UsageInUsermode = sample.Cgroup.Cpu.User,
        },
        SystemUsage = sample.SystemCpuUsage,
        OnlineCpus = sample.OnlineCpus,
        ThrottlingData = new ThrottlingData
        {
            Periods = sample.Cgroup.Cpu.Periods,
            ThrottledPeriods = sample.Cgroup.Cpu.ThrottledPeriods,
            ThrottledTime = sample.Cgroup.Cpu.ThrottledTime,
        },
    };

    /// <summary>v1 fills every list (empty ones as []); v2 has byte counts only and the other lists stay null.</summary>
    private static BlkioStats Blkio(BlockIoCounters io)
    {
        static List<BlkioStatEntry> Entries(IEnumerable<BlockIoEntry> entries) =>
            entries.Select(e => new BlkioStatEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value }).ToList();
        if (io.Serviced is null) return new BlkioStats { IoServiceBytesRecursive = Entries(io.ServiceBytes) };
        return new BlkioStats
        {
            IoServiceBytesRecursive = Entries(io.ServiceBytes),
            IoServicedRecursive = Entries(io.Serviced),
            IoQueuedRecursive = [],
            IoServiceTimeRecursive = [],
            IoWaitTimeRecursive = [],
            IoMergedRecursive = [],
            IoTimeRecursive = [],
            SectorsRecursive = [],
        };
    }
}
