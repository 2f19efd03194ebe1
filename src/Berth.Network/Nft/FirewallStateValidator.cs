using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Berth.Network.Nft;

/// <summary>
/// Rejects states that would make a wrong or unsafe nft script: names that are not plain interface
/// names (nft reads a trailing <c>*</c> as a wildcard), subnets that are not IPv4 networks, ports
/// out of range, and published ports on bridges the state does not contain.
/// </summary>
internal static partial class FirewallStateValidator
{
    [GeneratedRegex("^[A-Za-z0-9_.@+-]{1,15}$")]
    private static partial Regex InterfaceName();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem found.</summary>
    public static void Validate(FirewallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bridges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var network in state.Networks)
        {
            if (!InterfaceName().IsMatch(network.BridgeName))
                throw new ArgumentException($"network {network.Name}: '{network.BridgeName}' is not a bridge interface name");
            if (!bridges.Add(network.BridgeName))
                throw new ArgumentException($"bridge {network.BridgeName} belongs to more than one network");
            ParseSubnet(network);
        }
        foreach (var port in state.Ports)
        {
            if (!bridges.Contains(port.BridgeName))
                throw new ArgumentException($"published port {port.HostPort}/{port.Protocol} is on bridge '{port.BridgeName}', which no network has");
            if (port.HostIp.AddressFamily != AddressFamily.InterNetwork || port.ContainerIp.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException($"published port {port.HostPort}/{port.Protocol}: host and container addresses must be IPv4");
            if (port.HostPort is < 1 or > 65535 || port.ContainerPort is < 1 or > 65535)
                throw new ArgumentException($"published port {port.HostPort}:{port.ContainerPort}/{port.Protocol} is out of range");
        }
    }

    /// <summary>The network's subnet; it must be IPv4 with no bits set past the prefix.</summary>
    public static IPNetwork ParseSubnet(FirewallNetwork network)
    {
        // TryParse clears bits past the prefix; a subnet given with such bits is refused instead.
        if (!IPNetwork.TryParse(network.Subnet, out var subnet)
            || subnet.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !IPAddress.TryParse(network.Subnet.Split('/')[0], out var given)
            || !given.Equals(subnet.BaseAddress))
            throw new ArgumentException($"network {network.Name}: '{network.Subnet}' is not an IPv4 subnet");
        return subnet;
    }
}
