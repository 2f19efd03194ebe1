using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Network.Ipam;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Settles a new container's network mode and the networks it joins, refusing what dockerd
    /// refuses: unknown networks and containers, options that conflict with a shared namespace,
    /// addresses and aliases on the default bridge. Returns the create warnings it adds.
    /// </summary>
    private List<string> ResolveNetworks(ContainerRecord record, NetworkingConfig? networking)
    {
        var host = record.HostConfig;
        var config = record.Config;
        var warnings = new List<string>();
        var mode = host.NetworkMode is "" or "default" ? "bridge" : host.NetworkMode;
        host.NetworkMode = mode;
        if (mode == "host")
        {
            if (host.PortBindings is { Count: > 0 } || host.PublishAllPorts)
            {
                warnings.Add("Published ports are discarded when using host network mode");
                host.PortBindings = [];
                host.PublishAllPorts = false;
            }
            record.Networks["host"] = new EndpointSettings { NetworkID = networks.Get("host").Id };
            return warnings;
        }
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            if (!string.IsNullOrEmpty(config.Hostname)) throw BerthException.InvalidParameter("conflicting options: hostname and the network mode");
            if (host.PortBindings is { Count: > 0 } || host.PublishAllPorts) throw BerthException.InvalidParameter("conflicting options: port publishing and the container type network mode");
            if (host.Dns is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: dns and the network mode");
            if (host.ExtraHosts is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: custom host-to-IP mapping and the network mode");
            if (!string.IsNullOrEmpty(config.MacAddress)) throw BerthException.InvalidParameter("conflicting options: mac-address and the network mode");
            if (host.Links is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: container type network can't be used with links. This would result in undefined behavior");
            var target = mode["container:".Length..];
            var other = store.TryGet(target) ?? throw BerthException.NotFound($"No such container: {target}");
            if (other.Id == record.Id) throw BerthException.InvalidParameter("cannot join own network");
            return warnings;
        }
        if (mode == "none")
        {
            record.Networks["none"] = new EndpointSettings { NetworkID = networks.Get("none").Id };
            return warnings;
        }

        var network = networks.Get(mode);
        var asked = networking?.EndpointsConfig is { } endpoints
            ? endpoints.FirstOrDefault(e => e.Key == mode || e.Key == network.Name || e.Key == network.Id).Value
            : null;
        var endpoint = asked ?? new EndpointSettings();
        if (network.IsDefaultBridge)
        {
            if (endpoint.IPAMConfig is { IPv4Address.Length: > 0 }) throw BerthException.InvalidParameter("user specified IP address is supported on user defined networks only");
            if (endpoint.Aliases is { Count: > 0 }) throw BerthException.InvalidParameter("network-scoped alias is supported only for containers in user defined networks");
        }
        else if (endpoint.IPAMConfig is { IPv4Address.Length: > 0 } ipam)
        {
            var address = Ipv4.Parse(ipam.IPv4Address) ?? throw BerthException.InvalidParameter($"invalid IPv4 address: {ipam.IPv4Address}");
            if (!network.UserSubnets) throw BerthException.InvalidParameter("user specified IP address is supported only when connecting to networks with user configured subnets");
            if (!Ipv4Subnet.Parse(network.Subnets[0].Subnet)!.Value.Contains(address))
                throw BerthException.Forbidden($"Invalid address {address}: It does not belong to any of this network's subnets");
        }
        if (network.Driver is "host" or "null")
            throw BerthException.InvalidParameter($"container cannot be connected to network {network.Name}");
        if (!string.IsNullOrEmpty(config.MacAddress) && Ipv4.ParseMac(config.MacAddress) is null)
            throw BerthException.InvalidParameter($"invalid MAC address: {config.MacAddress}");
        endpoint.NetworkID = network.Id;
        if (!string.IsNullOrEmpty(config.MacAddress)) endpoint.MacAddress = config.MacAddress;
        record.Networks[network.Name] = endpoint;
        if (!network.IsDefaultBridge && host.Links is { Count: > 0 })
        {
            // On a user-defined network a link is a name the peer answers to in this container's DNS.
            endpoint.Links = host.Links;
        }
        return warnings;
    }
}
