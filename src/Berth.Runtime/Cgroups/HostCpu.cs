using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>The host's CPU time and online CPUs from /proc/stat, as dockerd computes <c>system_cpu_usage</c> and <c>online_cpus</c>.</summary>
public static class HostCpu
{
    private const ulong NanosecondsPerTick = 1_000_000_000 / 100;

    public static (ulong SystemUsage, uint OnlineCpus) Read() => Parse(File.ReadAllText("/proc/stat"));

    /// <summary>The first seven fields of the "cpu" line (user … softirq) in nanoseconds, and the number of "cpuN" lines.</summary>
    internal static (ulong SystemUsage, uint OnlineCpus) Parse(string procStat)
    {
        ulong usage = 0;
        uint cpus = 0;
        foreach (var line in procStat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "cpu")
            {
                ulong ticks = 0;
                foreach (var f in fields.Skip(1).Take(7)) ticks += ulong.Parse(f, CultureInfo.InvariantCulture);
                usage = ticks * NanosecondsPerTick;
            }
            else cpus++;
        }
        return (usage, cpus);
    }
}
