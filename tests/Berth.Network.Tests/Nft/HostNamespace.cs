using System.Net;

namespace Berth.Network.Tests.Nft;

/// <summary>Host-side setup for traffic tests, run on a thread in a test-made namespace.</summary>
internal static class HostNamespace
{
    /// <summary>Loopback up and IPv4 forwarding on, as on a host running berthd.</summary>
    public static void Prepare()
    {
        IpCommand.Run("link", "set", "lo", "up");
        File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
    }

    /// <summary>A bridge with the gateway address, prepared as berthd does (route_localnet for loopback DNAT).</summary>
    public static void AddBridge(string name, IPAddress gateway)
    {
        IpCommand.Run("link", "add", name, "type", "bridge");
        IpCommand.Run("addr", "add", $"{gateway}/24", "dev", name);
        IpCommand.Run("link", "set", name, "up");
        File.WriteAllText($"/proc/sys/net/ipv4/conf/{name}/route_localnet", "1");
    }
}
