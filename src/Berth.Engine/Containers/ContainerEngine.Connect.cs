using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Network.Ipam;
using Berth.Network.Service;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary><c>docker network connect</c>: the container joins the network now if it runs, else at its next start.</summary>
    public async Task ConnectAsync(string networkReference, string containerReference, EndpointSettings? config, CancellationToken ct)
    {
        var network = networks.Get(networkReference);
        var container = Get(containerReference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = container.Record;
            var mode = record.HostConfig.NetworkMode;
            if (network.Driver == "host")
                throw BerthException.InvalidParameter("container cannot be disconnected from host network or connected to host network");
            if (network.Driver == "null" || mode == "none")
                throw BerthException.InvalidParameter("container cannot be connected to multiple networks with one of the networks in private (none) mode");
            if (mode == "host" || mode.StartsWith("container:", StringComparison.Ordinal))
                throw BerthException.InvalidParameter("container sharing network namespace with another container or host cannot be connected to any other network");
            if (record.Networks.Values.Any(n => n.NetworkID == network.Id))
                throw BerthException.Forbidden($"endpoint with name {record.Name.TrimStart('/')} already exists in network {network.Name}");
            var endpoint = config ?? new EndpointSettings();
            if (network.IsDefaultBridge && endpoint.IPAMConfig is { IPv4Address.Length: > 0 })
                throw BerthException.InvalidParameter("user specified IP address is supported on user defined networks only");
            if (network.IsDefaultBridge && endpoint.Aliases is { Count: > 0 })
                throw BerthException.InvalidParameter("network-scoped alias is supported only for containers in user defined networks");
            endpoint.NetworkID = network.Id;
            record.Networks[network.Name] = endpoint;
            if (container.IsRunning)
            {
                try
                {
                    var given = await networks.ConnectAsync(record.Id, EndpointRequestFor(record, network.Name, endpoint), new SandboxRequest { ContainerId = record.Id, ContainerName = record.Name.TrimStart('/'), Hostname = record.Config.Hostname }, ct).ConfigureAwait(false);
                    endpoint.EndpointID = given.EndpointId;
                    endpoint.IPAddress = given.Address.ToString();
                    endpoint.IPPrefixLen = given.PrefixLength;
                    endpoint.Gateway = given.Gateway?.ToString() ?? "";
                    endpoint.MacAddress = Ipv4.FormatMac(given.Mac);
                    if (given.HostInterface.Length > 0) record.HostInterfaces[network.Id] = given.HostInterface;
                    RewriteNetworkFiles(container);
                }
                catch
                {
                    record.Networks.Remove(network.Name);
                    throw;
                }
            }
            store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary><c>docker network disconnect</c>: the container leaves the network, at once if it runs.</summary>
    public async Task DisconnectAsync(string networkReference, string containerReference, bool force, CancellationToken ct)
    {
        var network = networks.Get(networkReference);
        var container = Get(containerReference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = container.Record;
            var entry = record.Networks.FirstOrDefault(n => n.Value.NetworkID == network.Id);
            if (entry.Value is null)
                throw BerthException.System($"container {record.Id} is not connected to network {network.Name}");
            if (network.Driver == "host")
                throw BerthException.InvalidParameter("container cannot be disconnected from host network or connected to host network");
            if (container.IsRunning) await networks.DisconnectAsync(record.Id, network.Id).ConfigureAwait(false);
            record.Networks.Remove(entry.Key);
            record.RequestedMacAddresses.Remove(entry.Key);
            record.HostInterfaces.Remove(network.Id);
            if (container.IsRunning) RewriteNetworkFiles(container);
            store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    private void RewriteNetworkFiles(Container container)
    {
        var record = container.Record;
        var sandbox = networks.SandboxOf(record.Id);
        var addresses = sandbox?.Endpoints.Select(e => e.Address).ToList() ?? [];
        var embeddedDns = sandbox?.Endpoints.Any(e => networks.NetworkOf(e).HasEmbeddedDns) ?? false;
        EngineFiles.Write(container, new NetworkFacts(false, embeddedDns, addresses, []));
    }
}
