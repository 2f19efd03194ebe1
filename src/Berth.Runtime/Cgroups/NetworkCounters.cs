using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>One interface's counters from /proc/PID/net/dev.</summary>
public sealed record InterfaceCounters(string Name, ulong RxBytes, ulong RxPackets, ulong RxErrors, ulong RxDropped,
    ulong TxBytes, ulong TxPackets, ulong TxErrors, ulong TxDropped);

public static class NetworkCounters
{
    /// <summary>The interfaces of the network namespace PID lives in, loopback left out.</summary>
    public static IReadOnlyList<InterfaceCounters> Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/net/dev"));
        }
        catch (IOException)
        {
            return [];
        }
    }

    internal static List<InterfaceCounters> Parse(string netDev)
    {
        var result = new List<InterfaceCounters>();
        foreach (var line in netDev.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            if (name == "lo") continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
            if (f.Length < 12) continue;
            result.Add(new InterfaceCounters(name, f[0], f[1], f[2], f[3], f[8], f[9], f[10], f[11]));
        }
        return result;
    }
}
