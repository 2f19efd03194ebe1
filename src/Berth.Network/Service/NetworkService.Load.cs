using System.Net;
using Berth.Network.Ipam;
using Berth.Network.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    private const string DefaultBridgeOption = "com.docker.network.bridge.default_bridge";
    internal const string BridgeNameOption = "com.docker.network.bridge.name";
    internal const string IccOption = "com.docker.network.bridge.enable_icc";
    internal const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";
    internal const string HostBindingOption = "com.docker.network.bridge.host_binding_ipv4";
    internal const string MtuOption = "com.docker.network.driver.mtu";

    private void Load()
    {
        foreach (var record in store.Load()) networks[record.Id] = record;
        EnsureBuiltin("bridge", Drivers.Bridge);
        EnsureBuiltin("host", Drivers.Host);
        EnsureBuiltin("none", Drivers.Null);
        ConfigureDefaultBridge(networks.Values.Single(n => n.IsDefaultBridge));
        HostSysctls.EnableForwarding();
        foreach (var network in networks.Values)
        {
            if (network.Driver == Drivers.Bridge)
            {
                try
                {
                    EnsureBridgeDevice(network);
                }
                catch (IOException e)
                {
                    logger.LogError("Cannot set up the bridge {Bridge} of network {Name}: {Message}", network.BridgeName, network.Name, e.Message);
                }
            }
            if (network.Subnets.Count > 0) pools[network.Id] = PoolFor(network);
        }
        RemoveOrphanBridges();
        ApplyFirewall();
    }

    /// <summary>Bridges named as Berth names them (<c>br-</c> and 12 hex) that no network owns: a create a crash cut short.</summary>
    private void RemoveOrphanBridges()
    {
        var owned = networks.Values.Select(n => n.BridgeName).ToHashSet();
        foreach (var link in host.Links())
        {
            if (link.Kind != "bridge" || owned.Contains(link.Name) || !IsBerthBridgeName(link.Name)) continue;
            logger.LogInformation("Removing bridge {Bridge}, which no network owns", link.Name);
            host.DeleteLink(link.Name);
        }
    }

    private static bool IsBerthBridgeName(string name) =>
        name.Length == 15 && name.StartsWith("br-", StringComparison.Ordinal) && name[3..].All(char.IsAsciiHexDigitLower);

    private void EnsureBuiltin(string name, string driver)
    {
        if (networks.Values.Any(n => n.Builtin && n.Name == name)) return;
        var record = new NetworkRecord { Id = NewId(), Name = name, Driver = driver, Builtin = true, Created = DateTime.UtcNow };
        networks[record.Id] = record;
        store.Save(record);
    }

    /// <summary>The default bridge follows the daemon's settings at every start, as dockerd rebuilds it from its flags.</summary>
    private void ConfigureDefaultBridge(NetworkRecord bridge)
    {
        var bip = settings.BridgeIp.Length > 0 ? settings.BridgeIp : "172.17.0.1/16";
        var parsed = Ipv4Subnet.Parse(bip) ?? throw new ArgumentException($"bip {bip} is not an IPv4 address with a prefix length");
        var range = settings.FixedCidr.Length > 0
            ? Ipv4Subnet.Parse(settings.FixedCidr) ?? throw new ArgumentException($"fixed-cidr {settings.FixedCidr} is not an IPv4 CIDR")
            : (Ipv4Subnet?)null;
        bridge.BridgeName = settings.DefaultBridgeName;
        bridge.Subnets =
        [
            new SubnetRecord
            {
                Subnet = parsed.Canonical.ToString(),
                IPRange = range?.Canonical.ToString(),
                Gateway = Ipv4.ToAddress(parsed.Network).ToString(),
                GatewayHidden = true,
            },
        ];
        bridge.Options = new Dictionary<string, string>
        {
            [DefaultBridgeOption] = "true",
            [IccOption] = "true",
            [MasqueradeOption] = "true",
            [HostBindingOption] = "0.0.0.0",
            [BridgeNameOption] = settings.DefaultBridgeName,
            [MtuOption] = settings.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        store.Save(bridge);
    }

    private static AddressPool PoolFor(NetworkRecord network)
    {
        var subnet = network.Subnets[0];
        var pool = new AddressPool(Ipv4Subnet.Parse(subnet.Subnet)!.Value, subnet.IPRange is { Length: > 0 } r ? Ipv4Subnet.Parse(r) : null);
        if (Ipv4.Parse(subnet.Gateway) is { } gateway) pool.TryTake(gateway);
        foreach (var aux in subnet.AuxiliaryAddresses?.Values ?? Enumerable.Empty<string>())
            if (Ipv4.Parse(aux) is { } address) pool.TryTake(address);
        return pool;
    }

    /// <summary>Creates the network's bridge when it is missing and gives it the gateway address.</summary>
    private void EnsureBridgeDevice(NetworkRecord network)
    {
        var index = host.IndexOf(network.BridgeName);
        if (index == 0)
        {
            host.CreateBridge(network.BridgeName, RandomMac(), Mtu(network));
            index = host.IndexOf(network.BridgeName);
        }
        else
        {
            host.SetUp(index);
        }
        var subnet = Ipv4Subnet.Parse(network.Subnets[0].Subnet)!.Value;
        if (Ipv4.Parse(network.Subnets[0].Gateway) is { } gateway) host.AddAddress(index, gateway, subnet.PrefixLength);
        // Published ports answer on 127.0.0.1: loopback-sourced packets may then leave through the bridge.
        HostSysctls.EnableRouteLocalnet(network.BridgeName);
    }

    private int Mtu(NetworkRecord network) =>
        network.Options.TryGetValue(MtuOption, out var m) && int.TryParse(m, out var mtu) && mtu > 0 ? mtu : settings.Mtu;

    internal static byte[] RandomMac()
    {
        var mac = new byte[6];
        System.Security.Cryptography.RandomNumberGenerator.Fill(mac);
        mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
        return mac;
    }

    internal static IPAddress? GatewayOf(NetworkRecord network) =>
        network.Subnets.Count > 0 ? Ipv4.Parse(network.Subnets[0].Gateway) : null;
}
