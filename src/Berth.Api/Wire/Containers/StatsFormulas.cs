namespace Berth.Api.Wire.Containers;

/// <summary>
/// The docker CLI's <c>docker stats</c> columns computed from one stats object, with the CLI's
/// formulas, so Berth's clients show what the docker CLI shows.
/// </summary>
public static class StatsFormulas
{
    /// <summary>CPU %: the container's share of the host's CPU time since the previous reading, times the online CPUs.</summary>
    public static double CpuPercent(ContainerStats stats)
    {
        var cpuDelta = (double)stats.CpuStats.CpuUsage.TotalUsage - stats.PreCpuStats.CpuUsage.TotalUsage;
        var systemDelta = (double)stats.CpuStats.SystemUsage - stats.PreCpuStats.SystemUsage;
        double onlineCpus = stats.CpuStats.OnlineCpus;
        if (onlineCpus == 0) onlineCpus = stats.CpuStats.CpuUsage.PercpuUsage?.Count ?? 0;
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * onlineCpus * 100.0 : 0;
    }

    /// <summary>MEM USAGE: usage without the inactive page cache (total_inactive_file on v1, inactive_file on v2).</summary>
    public static double MemoryUsage(MemoryStats memory)
    {
        var stats = memory.Stats;
        if (stats is not null && stats.TryGetValue("total_inactive_file", out var v1) && v1 < memory.Usage) return memory.Usage - v1;
        var v2 = stats?.GetValueOrDefault("inactive_file") ?? 0;
        return v2 < memory.Usage ? memory.Usage - v2 : memory.Usage;
    }

    /// <summary>MEM %: usage over the limit; 0 when there is no limit (a stopped container).</summary>
    public static double MemoryPercent(MemoryStats memory) => memory.Limit != 0 ? MemoryUsage(memory) / memory.Limit * 100.0 : 0;

    /// <summary>BLOCK I/O: bytes read and written over all devices.</summary>
    public static (ulong Read, ulong Write) BlockIo(BlkioStats blkio)
    {
        ulong read = 0, write = 0;
        foreach (var entry in blkio.IoServiceBytesRecursive ?? [])
        {
            if (entry.Op.Length == 0) continue;
            switch (entry.Op[0])
            {
                case 'r' or 'R': read += entry.Value; break;
                case 'w' or 'W': write += entry.Value; break;
            }
        }
        return (read, write);
    }

    /// <summary>NET I/O: bytes received and sent over all interfaces.</summary>
    public static (ulong Rx, ulong Tx) Network(ContainerStats stats)
    {
        ulong rx = 0, tx = 0;
        foreach (var n in stats.Networks?.Values ?? Enumerable.Empty<NetworkStats>())
        {
            rx += n.RxBytes;
            tx += n.TxBytes;
        }
        return (rx, tx);
    }
}
