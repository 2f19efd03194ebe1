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
        var asGiven = host.NetworkMode;
        var mode = host.NetworkMode is "" or "default" ? "bridge" : host.NetworkMode;
        // As dockerd: a container that did not choose shows "default" and joins the default bridge.
        host.NetworkMode = asGiven is "" ? "default" : asGiven;
        if (mode == "host")
        {
            if (host.Links is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
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
            if (config.ExposedPorts is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: port exposing and the container type network mode");
            if (host.Dns is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: dns and the network mode");
            if (host.ExtraHosts is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: custom host-to-IP mapping and the network mode");
            if (!string.IsNullOrEmpty(config.MacAddress)) throw BerthException.InvalidParameter("conflicting options: mac-address and the network mode");
            if (host.Links is { Count: > 0 }) throw BerthException.InvalidParameter("conflicting options: container type network can't be used with links. This would result in undefined behavior");
            // The other container is looked up at start, as dockerd does: a 404 here would make the CLI try to pull the image.
            return warnings;
        }
        if (mode == "none")
        {
            record.Networks["none"] = new EndpointSettings { NetworkID = networks.Get("none").Id };
            return warnings;
        }

        // Unknown networks and bad addresses fail at start, as in dockerd: a 404 from create would make the CLI try to pull the image.
        var known = networks.TryGet(mode);
        var asked = networking?.EndpointsConfig is { } endpoints
            ? endpoints.FirstOrDefault(e => e.Key == mode || e.Key == asGiven || e.Key == "default" || e.Key == known?.Name || e.Key == known?.Id).Value
            : null;
        var endpoint = asked ?? new EndpointSettings();
        if (endpoint.IPAMConfig is { IPv4Address.Length: > 0 } ipam && Ipv4.Parse(ipam.IPv4Address) is null)
            throw BerthException.InvalidParameter($"invalid IPv4 address: {ipam.IPv4Address}");
        if (known?.Driver is "host" or "null")
            throw BerthException.InvalidParameter($"container cannot be connected to network {known.Name}");
        endpoint.NetworkID = known?.Id ?? "";
        if (!string.IsNullOrEmpty(config.MacAddress)) endpoint.MacAddress = config.MacAddress;
        if (!string.IsNullOrEmpty(endpoint.MacAddress))
        {
            if (Ipv4.ParseMac(endpoint.MacAddress) is null) throw BerthException.InvalidParameter($"invalid MAC address: {endpoint.MacAddress}");
            record.RequestedMacAddresses[known?.Name ?? mode] = endpoint.MacAddress;
        }
        record.Networks[known?.Name ?? mode] = endpoint;
        if (known is { IsDefaultBridge: false } && host.Links is { Count: > 0 })
        {
            // On a user-defined network a link is a name the peer answers to in this container's DNS, kept with the endpoint.
            endpoint.Links = host.Links;
            host.Links = null;
        }
        return warnings;
    }
}
