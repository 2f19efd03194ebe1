using System.Net;
using Berth.Network.Nft;
using Berth.Network.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    private Firewall? firewall;

    /// <summary>Replaces Berth's nftables table with the rules of every bridge network and published port, in one transaction. Callers hold <see cref="gate"/>.</summary>
    private void ApplyFirewall()
    {
        var bridges = networks.Values.Where(n => n.Driver == Drivers.Bridge).OrderBy(n => n.Created).ToList();
        var state = new FirewallState(
            bridges.Select(n => new FirewallNetwork(n.Name, n.BridgeName, n.Subnets[0].Subnet, n.Internal,
                n.OptionIsTrue(IccOption, true), n.OptionIsTrue(MasqueradeOption, true))).ToList(),
            PublishedPorts().ToList());
        try
        {
            firewall ??= new Firewall(new Nftables());
            firewall.Apply(state);
        }
        catch (Exception e) when (e is NftablesException or DllNotFoundException or ArgumentException)
        {
            logger.LogError("Cannot apply the firewall rules: {Message}", e.Message);
            throw Api.Errors.BerthException.System($"cannot apply the nftables rules: {e.Message}", e);
        }
    }

    private IEnumerable<PublishedPort> PublishedPorts()
    {
        foreach (var sandbox in sandboxes.Values)
        {
            if (sandbox.Ports.Count == 0) continue;
            var target = sandbox.Endpoints.FirstOrDefault(e => networks.GetValueOrDefault(e.NetworkId) is { Driver: Drivers.Bridge, Internal: false });
            if (target is null) continue;
            var bridge = networks[target.NetworkId].BridgeName;
            foreach (var port in sandbox.Ports)
                yield return new PublishedPort(port.Protocol == "udp" ? PortProtocol.Udp : PortProtocol.Tcp, port.HostIp, port.HostPort, target.Address, port.ContainerPort, bridge);
        }
    }
}
