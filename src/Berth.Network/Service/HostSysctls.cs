namespace Berth.Network.Service;

/// <summary>The kernel settings bridge networks need, written in berthd's own network namespace.</summary>
internal static class HostSysctls
{
    public static void EnableForwarding() => Write("/proc/sys/net/ipv4/ip_forward", "1");

    public static void EnableRouteLocalnet(string device) => Write($"/proc/sys/net/ipv4/conf/{device}/route_localnet", "1");

    private static void Write(string path, string value)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() != value) File.WriteAllText(path, value);
    }
}
