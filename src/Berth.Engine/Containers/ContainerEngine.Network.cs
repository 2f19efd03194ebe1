using System.Net;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Network.Ipam;
using Berth.Network.Service;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>How a starting container gets its network namespace, and what it was given in it.</summary>
    private sealed record NetworkPlan(string? NamespacePath, Sandbox? Sandbox, Container? SharedWith, List<string> LinkEnv);

    /// <summary>
    /// Before runc creates the container: its own namespace (null path), the host's, or another
    /// container's; for bridge and macvlan networks the addresses and ports are reserved now and
    /// the engine files written with them, so the namespace is plumbed as soon as it exists.
    /// </summary>
    private NetworkPlan PlanNetwork(Container container)
    {
        var record = container.Record;
        var mode = record.HostConfig.NetworkMode;
        if (mode == "host")
        {
            EngineFiles.Write(container, NetworkFacts.Host);
            return new NetworkPlan("host", null, null, []);
        }
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = store.Get(mode["container:".Length..]);
            if (other.Record.Status is not (ContainerStatus.Running or ContainerStatus.Paused) || other.Record.Pid <= 0)
                throw BerthException.Conflict($"cannot join network of a non running container: {other.Id}");
            return new NetworkPlan(Berth.Network.Namespaces.NetworkNamespace.OfProcess(other.Record.Pid), null, other, []);
        }
        var (links, linkEnv) = ResolveLinks(container);
        if (mode == "none")
        {
            EngineFiles.Write(container, new NetworkFacts(false, false, [], links));
            return new NetworkPlan(null, null, null, linkEnv);
        }

        var request = new SandboxRequest
        {
            ContainerId = record.Id,
            ContainerName = record.Name.TrimStart('/'),
            Hostname = record.Config.Hostname,
            Endpoints = record.Networks.Select(n => EndpointRequestFor(record, n.Key, n.Value)).ToList(),
            Ports = PortRequests(record),
            DnsUpstreams = DnsUpstreams(record),
        };
        var sandbox = networks.Plan(request);
        try
        {
            RecordSandbox(record, sandbox);
            var embeddedDns = sandbox.Endpoints.Any(e => networks.NetworkOf(e).HasEmbeddedDns);
            EngineFiles.Write(container, new NetworkFacts(false, embeddedDns, sandbox.Endpoints.Select(e => e.Address).ToList(), links));
        }
        catch
        {
            networks.Release(record.Id);
            ClearSandbox(record);
            throw;
        }
        return new NetworkPlan(null, sandbox, null, linkEnv);
    }

    /// <summary>What the container asks for on one network: the network (by ID once known), its address, MAC and names.</summary>
    private static EndpointRequest EndpointRequestFor(ContainerRecord record, string name, EndpointSettings settings)
    {
        var aliases = DnsAliases(record, settings);
        return new EndpointRequest
        {
            Network = settings.NetworkID is { Length: > 0 } id ? id : name,
            Address = settings.IPAMConfig?.IPv4Address is { Length: > 0 } ip ? Ipv4.Parse(ip) : null,
            Mac = record.RequestedMacAddresses.GetValueOrDefault(name) is { } mac ? Ipv4.ParseMac(mac) : null,
            Aliases = aliases,
            ImplicitAliases = aliases.Count - (settings.Aliases?.Count ?? 0),
            LinkAliases = LinkAliases(settings),
        };
    }

    private static List<IPEndPoint> DnsUpstreams(ContainerRecord record) =>
        EngineFiles.UpstreamNameservers(record.HostConfig)
            .Select(s => IPAddress.TryParse(s, out var a) ? new IPEndPoint(a, 53) : null)
            .OfType<IPEndPoint>().ToList();

    /// <summary>A user-defined network's links (<c>name:alias</c>) as alias → name.</summary>
    private static Dictionary<string, string> LinkAliases(EndpointSettings endpoint)
    {
        var aliases = new Dictionary<string, string>();
        foreach (var link in endpoint.Links ?? [])
        {
            var (name, alias) = SplitLink(link);
            aliases[alias] = name;
        }
        return aliases;
    }

    /// <summary>Names the container answers to on a user-defined network besides its name: its aliases and its short ID, as dockerd adds it.</summary>
    private static List<string> DnsAliases(ContainerRecord record, EndpointSettings endpoint)
    {
        var aliases = new List<string>(endpoint.Aliases ?? []);
        aliases.Add(record.Id[..12]);
        if (!string.IsNullOrEmpty(record.Config.Hostname) && record.Config.Hostname != record.Id[..12]) aliases.Add(record.Config.Hostname);
        return aliases;
    }

    /// <summary>Copies what the sandbox was given into the record: inspect's endpoint fields and ports.</summary>
    private void RecordSandbox(ContainerRecord record, Sandbox sandbox)
    {
        foreach (var endpoint in sandbox.Endpoints)
        {
            var settings = record.Networks.First(n => n.Value.NetworkID == endpoint.NetworkId || n.Key == networks.NetworkOf(endpoint).Name).Value;
            settings.NetworkID = endpoint.NetworkId;
            settings.EndpointID = endpoint.EndpointId;
            settings.IPAddress = endpoint.Address.ToString();
            settings.IPPrefixLen = endpoint.PrefixLength;
            settings.Gateway = endpoint.Gateway?.ToString() ?? "";
            settings.MacAddress = Ipv4.FormatMac(endpoint.Mac);
            if (endpoint.HostInterface.Length > 0) record.HostInterfaces[endpoint.NetworkId] = endpoint.HostInterface;
        }
        record.Ports = PortMap(record, sandbox.Ports);
    }

    /// <summary>After the run: the endpoints keep their configuration, not what the run was given.</summary>
    private static void ClearSandbox(ContainerRecord record)
    {
        foreach (var (name, settings) in record.Networks)
        {
            settings.EndpointID = "";
            settings.IPAddress = "";
            settings.IPPrefixLen = 0;
            settings.Gateway = "";
            settings.MacAddress = record.RequestedMacAddresses.GetValueOrDefault(name, "");
        }
        record.HostInterfaces.Clear();
        record.Ports = null;
    }

    /// <summary>Gives back the network of a run that ended or failed to start.</summary>
    private void ReleaseNetwork(ContainerRecord record)
    {
        networks.Release(record.Id);
        ClearSandbox(record);
    }

    /// <summary>After a berthd restart: the sandbox of a container still running is taken over as it was.</summary>
    private async Task RestoreNetworkAsync(Container container)
    {
        var record = container.Record;
        var endpoints = new List<EndpointRequest>();
        var position = 0;
        foreach (var (name, settings) in record.Networks)
        {
            if (settings.EndpointID.Length == 0 || Ipv4.Parse(settings.IPAddress) is not { } address) continue;
            endpoints.Add(new EndpointRequest
            {
                Network = settings.NetworkID,
                Existing = new Endpoint
                {
                    NetworkId = settings.NetworkID,
                    ContainerId = record.Id,
                    ContainerName = record.Name.TrimStart('/'),
                    EndpointId = settings.EndpointID,
                    Address = address,
                    PrefixLength = settings.IPPrefixLen,
                    Gateway = Ipv4.Parse(settings.Gateway),
                    Mac = Ipv4.ParseMac(settings.MacAddress) ?? Ipv4.MacFor(address),
                    Aliases = DnsAliases(record, settings),
                    LinkAliases = LinkAliases(settings),
                    InterfaceName = "eth" + position++,
                    HostInterface = record.HostInterfaces.GetValueOrDefault(settings.NetworkID, ""),
                },
            });
        }
        if (endpoints.Count == 0) return;
        var ports = (record.Ports ?? []).SelectMany(p => (p.Value ?? []).Select(b =>
        {
            var (port, protocol) = ParsePortKey(p.Key);
            return new PortRequest(protocol, port, IPAddress.Parse(b.HostIp), int.Parse(b.HostPort, System.Globalization.CultureInfo.InvariantCulture), 0);
        })).ToList();
        await networks.RestoreAsync(new SandboxRequest
        {
            ContainerId = record.Id,
            ContainerName = record.Name.TrimStart('/'),
            Hostname = record.Config.Hostname,
            Endpoints = endpoints,
            Ports = ports,
            DnsUpstreams = DnsUpstreams(record),
        }, record.Pid).ConfigureAwait(false);
    }
}
