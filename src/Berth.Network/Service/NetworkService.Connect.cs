using Berth.Api.Errors;
using Berth.Network.Namespaces;
using Berth.Network.Store;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    /// <summary>Adds an endpoint on one more network to a running container's sandbox (<c>docker network connect</c>) and plumbs it.</summary>
    public async Task<Endpoint> ConnectAsync(string containerId, EndpointRequest wanted, SandboxRequest identity, CancellationToken ct)
    {
        Sandbox sandbox;
        Endpoint endpoint;
        NetworkRecord network;
        lock (gate)
        {
            sandbox = sandboxes.GetValueOrDefault(containerId) ?? throw BerthException.Conflict($"container {containerId} is not running");
            network = Find(wanted.Network) ?? throw NotFound(wanted.Network);
            if (sandbox.Endpoints.Any(e => e.NetworkId == network.Id))
                throw BerthException.Forbidden($"endpoint with name {identity.ContainerName} already exists in network {network.Name}");
            var position = sandbox.Endpoints.Select(e => int.Parse(e.InterfaceName[3..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
            endpoint = NewEndpoint(network, wanted, identity, position);
            sandbox.Endpoints.Add(endpoint);
        }
        try
        {
            await PlumbAsync(sandbox, endpoint, network).ConfigureAwait(false);
        }
        catch
        {
            await DisconnectAsync(containerId, network.Id).ConfigureAwait(false);
            throw;
        }
        return endpoint;
    }

    private async Task PlumbAsync(Sandbox sandbox, Endpoint endpoint, NetworkRecord network)
    {
        var path = NetworkNamespace.OfProcess(sandbox.Pid);
        CreateInterfaces(path, [endpoint]);
        var needsRoute = !sandbox.Endpoints.Any(e => e != endpoint && e.Gateway is not null);
        var needsDns = network.HasEmbeddedDns && sandbox.Dns is null;
        var sockets = await NetworkNamespace.RunAsync(path, () =>
        {
            using var inside = new Netlink.RtNetlink();
            ConfigureInside(inside, endpoint, needsRoute);
            return needsDns ? DnsSockets.Bind() : null;
        }).ConfigureAwait(false);
        if (sockets is not null) StartDns(sandbox, sockets);
    }

    /// <summary>Takes a running container off one network: its interface goes and its address is freed.</summary>
    public async Task DisconnectAsync(string containerId, string networkId)
    {
        Endpoint? endpoint;
        int pid;
        lock (gate)
        {
            if (sandboxes.GetValueOrDefault(containerId) is not { } sandbox) return;
            endpoint = sandbox.Endpoints.FirstOrDefault(e => e.NetworkId == networkId);
            if (endpoint is null) return;
            sandbox.Endpoints.Remove(endpoint);
            pid = sandbox.Pid;
            if (pools.TryGetValue(networkId, out var pool)) pool.Release(endpoint.Address);
            if (endpoint.HostInterface.Length > 0) host.DeleteLink(endpoint.HostInterface);
        }
        if (endpoint.HostInterface.Length == 0 && pid > 0)
        {
            var name = endpoint.InterfaceName;
            await NetworkNamespace.RunAsync(NetworkNamespace.OfProcess(pid), () =>
            {
                using var inside = new Netlink.RtNetlink();
                return inside.DeleteLink(name);
            }).ConfigureAwait(false);
        }
    }
}
