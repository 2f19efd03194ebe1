using System.Net;
using Berth.Api.Errors;
using Berth.Network.Ipam;
using Berth.Network.Namespaces;
using Berth.Network.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    /// <summary>
    /// Reserves what a container's start needs before its namespace exists: an address, MAC and
    /// endpoint on each network, and its published host ports. Nothing is left taken when it fails.
    /// </summary>
    public Sandbox Plan(SandboxRequest request)
    {
        lock (gate)
        {
            if (sandboxes.ContainsKey(request.ContainerId)) throw BerthException.Conflict($"container {request.ContainerId} has its network already");
            var endpoints = new List<Endpoint>();
            var sandbox = new Sandbox { ContainerId = request.ContainerId, Endpoints = endpoints, Ports = [], DnsUpstreams = request.DnsUpstreams };
            try
            {
                foreach (var wanted in request.Endpoints)
                {
                    var network = Find(wanted.Network) ?? throw NotFound(wanted.Network);
                    endpoints.Add(wanted.Existing is { } existing ? Retake(network, existing) : NewEndpoint(network, wanted, request, endpoints.Count));
                }
                ReservePorts(sandbox, request);
                sandboxes[request.ContainerId] = sandbox;
            }
            catch
            {
                ReleaseLocked(sandbox);
                throw;
            }
            return sandbox;
        }
    }

    private Endpoint NewEndpoint(NetworkRecord network, EndpointRequest wanted, SandboxRequest request, int position)
    {
        if (!network.HasEndpoints) throw BerthException.InvalidParameter($"container cannot be connected to network {network.Name} with other networks");
        if (network.IsDefaultBridge && wanted.Aliases.Count > wanted.ImplicitAliases)
            throw BerthException.InvalidParameter("network-scoped alias is supported only for containers in user defined networks");
        var pool = pools[network.Id];
        IPAddress address;
        if (wanted.Address is { } asked)
        {
            if (network.IsDefaultBridge) throw BerthException.InvalidParameter("user specified IP address is supported on user defined networks only");
            if (!network.UserSubnets) throw BerthException.InvalidParameter("user specified IP address is supported only when connecting to networks with user configured subnets");
            if (!pool.Subnet.Contains(asked))
                throw BerthException.System($"Invalid address {asked}: It does not belong to any of this network's subnets");
            if (!pool.TryTake(asked)) throw BerthException.Forbidden("Address already in use");
            address = asked;
        }
        else
        {
            address = pool.TakeNext() ?? throw BerthException.System($"no available IPv4 addresses on this network's address pools: {network.Name} ({network.Id})");
        }
        var aliases = new List<string>(wanted.Aliases);
        return new Endpoint
        {
            NetworkId = network.Id,
            ContainerId = request.ContainerId,
            ContainerName = request.ContainerName,
            EndpointId = NewId(),
            Address = address,
            PrefixLength = pool.Subnet.PrefixLength,
            Gateway = network.Internal ? null : GatewayOf(network),
            Mac = wanted.Mac ?? Ipv4.MacFor(address),
            Aliases = aliases,
            LinkAliases = wanted.LinkAliases,
            InterfaceName = "eth" + position,
            HostInterface = network.Driver == Drivers.Bridge ? "veth" + NewId()[..7] : "",
            StaticAddress = wanted.Address is not null,
        };
    }

    /// <summary>A running container's endpoint, as a previous berthd left it, taken again.</summary>
    private Endpoint Retake(NetworkRecord network, Endpoint existing)
    {
        pools[network.Id].TryTake(existing.Address);
        return existing;
    }

    private void ReservePorts(Sandbox sandbox, SandboxRequest request)
    {
        if (request.Ports.Count == 0) return;
        var target = sandbox.Endpoints.FirstOrDefault(e => networks[e.NetworkId] is { Driver: Drivers.Bridge, Internal: false });
        if (target is null) return;
        var description = $"{request.ContainerName} ({target.EndpointId})";
        foreach (var port in request.Ports)
        {
            var reservation = PortReservation.Take(port, PortTaken, description);
            sandbox.Resources.Add(reservation);
            sandbox.Ports.Add(reservation.Binding);
        }
    }

    private bool PortTaken(string protocol, IPAddress hostIp, int port) =>
        sandboxes.Values.SelectMany(s => s.Ports).Any(p => p.Protocol == protocol && p.HostPort == port
            && (p.HostIp.Equals(hostIp) || p.HostIp.Equals(IPAddress.Any) || hostIp.Equals(IPAddress.Any)));

    /// <summary>
    /// Plumbs a planned sandbox into the network namespace of <paramref name="pid"/> (a container
    /// created but not yet started): a veth pair per bridge endpoint (host end on the bridge), a
    /// macvlan per macvlan endpoint, addresses, the default route, the embedded DNS server and
    /// the published ports' rules.
    /// </summary>
    public async Task ActivateAsync(Sandbox sandbox, int pid)
    {
        sandbox.Pid = pid;
        var path = NetworkNamespace.OfProcess(pid);
        CreateInterfaces(path, sandbox.Endpoints);
        var wantsDns = sandbox.Endpoints.Any(e => NetworkOf(e).HasEmbeddedDns);
        var dnsSockets = await NetworkNamespace.RunAsync(path, () =>
        {
            using var inside = new Netlink.RtNetlink();
            var routed = false;
            foreach (var endpoint in sandbox.Endpoints) routed |= ConfigureInside(inside, endpoint, withRoute: !routed);
            return wantsDns ? DnsSockets.Bind() : null;
        }).ConfigureAwait(false);
        if (dnsSockets is not null) StartDns(sandbox, dnsSockets);
        if (sandbox.Ports.Count > 0)
        {
            lock (gate) ApplyFirewall();
        }
    }

    /// <summary>Creates each endpoint's interface with its container end already in the namespace at <paramref name="path"/>.</summary>
    private void CreateInterfaces(string path, IEnumerable<Endpoint> endpoints)
    {
        var fd = NetworkNamespace.Open(path);
        try
        {
            foreach (var endpoint in endpoints)
            {
                var network = NetworkOf(endpoint);
                if (network.Driver == Drivers.Bridge)
                    host.CreateVeth(endpoint.HostInterface, host.IndexOf(network.BridgeName), Mtu(network), endpoint.InterfaceName, endpoint.Mac, fd);
                else
                    host.CreateMacvlan(endpoint.InterfaceName, host.IndexOf(network.Parent), endpoint.Mac, fd);
            }
        }
        finally
        {
            NetworkNamespace.Close(fd);
        }
    }

    /// <summary>Inside the container's namespace: brings the endpoint's interface up with its address, and with <paramref name="withRoute"/> the default route through its gateway; whether it set that route.</summary>
    private static bool ConfigureInside(Netlink.RtNetlink inside, Endpoint endpoint, bool withRoute)
    {
        var index = inside.IndexOf(endpoint.InterfaceName);
        inside.SetUp(index);
        inside.AddAddress(index, endpoint.Address, endpoint.PrefixLength);
        if (!withRoute || endpoint.Gateway is not { } gateway) return false;
        inside.AddDefaultRoute(gateway, index);
        return true;
    }

    /// <summary>Takes over the sandbox of a container a previous berthd started: its endpoints and ports are taken again and its DNS server restarted.</summary>
    public async Task RestoreAsync(SandboxRequest request, int pid)
    {
        var sandbox = Plan(request);
        sandbox.Pid = pid;
        if (sandbox.Endpoints.Any(e => NetworkOf(e).HasEmbeddedDns))
        {
            var sockets = await NetworkNamespace.RunAsync(NetworkNamespace.OfProcess(pid), DnsSockets.Bind).ConfigureAwait(false);
            StartDns(sandbox, sockets);
        }
        if (sandbox.Ports.Count > 0)
        {
            lock (gate) ApplyFirewall();
        }
    }

    /// <summary>Gives back everything a container's sandbox holds: addresses, ports, rules, DNS, host interfaces. Idempotent.</summary>
    public void Release(string containerId)
    {
        lock (gate)
        {
            if (!sandboxes.Remove(containerId, out var sandbox)) return;
            ReleaseLocked(sandbox);
            if (sandbox.Ports.Count > 0) ApplyFirewall();
        }
    }

    private void ReleaseLocked(Sandbox sandbox)
    {
        StopSandboxResources(sandbox);
        foreach (var endpoint in sandbox.Endpoints)
        {
            if (pools.TryGetValue(endpoint.NetworkId, out var pool)) pool.Release(endpoint.Address);
            if (endpoint.HostInterface.Length > 0)
            {
                try
                {
                    host.DeleteLink(endpoint.HostInterface);
                }
                catch (IOException e)
                {
                    logger.LogWarning("Cannot delete {Interface}: {Message}", endpoint.HostInterface, e.Message);
                }
            }
        }
    }

    private static void StopSandboxResources(Sandbox sandbox)
    {
        sandbox.Dns?.Cancel();
        foreach (var resource in sandbox.Resources) resource.Dispose();
        sandbox.Resources.Clear();
    }

    public NetworkRecord NetworkOf(Endpoint endpoint)
    {
        lock (gate) return networks.TryGetValue(endpoint.NetworkId, out var n) ? n : throw NotFound(endpoint.NetworkId);
    }

    /// <summary>The sandbox of a running container, or null.</summary>
    public Sandbox? SandboxOf(string containerId)
    {
        lock (gate) return sandboxes.GetValueOrDefault(containerId);
    }
}
