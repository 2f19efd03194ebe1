using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Network.Ipam;
using Berth.Network.Netlink;
using Berth.Network.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Service;

/// <summary>
/// The networks of one host: the built-in bridge, host and none, and user-defined bridge and
/// macvlan networks; their address pools; the sandboxes (network namespaces) of running
/// containers with their endpoints, published ports and DNS; and the nftables rules all of that
/// needs. Each operation lives in its own file of this partial class. State changes hold
/// <see cref="gate"/>; kernel work on a container's namespace happens outside it.
/// </summary>
public sealed partial class NetworkService : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, NetworkRecord> networks = [];
    private readonly Dictionary<string, AddressPool> pools = [];
    private readonly Dictionary<string, Sandbox> sandboxes = [];
    private readonly NetworkStore store;
    private readonly NetworkSettings settings;
    private readonly RtNetlink host = new();
    private readonly ILogger logger;

    private NetworkService(NetworkSettings settings, ILogger logger)
    {
        this.settings = settings;
        this.logger = logger;
        store = new NetworkStore(settings.Root);
    }

    /// <summary>Loads the networks, creates the built-in ones the first time, and puts every bridge and the firewall in place.</summary>
    public static NetworkService Open(NetworkSettings settings, ILogger logger)
    {
        var service = new NetworkService(settings, logger);
        service.Load();
        return service;
    }

    public IReadOnlyList<NetworkRecord> List()
    {
        lock (gate) return networks.Values.OrderBy(n => n.Created).ToList();
    }

    /// <summary>A network by full ID, name or unique ID prefix, as dockerd looks them up; 404 "network X not found" otherwise.</summary>
    public NetworkRecord Get(string reference)
    {
        lock (gate) return Find(reference) ?? throw NotFound(reference);
    }

    /// <summary>A network by full ID, name or unique ID prefix; null when there is none.</summary>
    public NetworkRecord? TryGet(string reference)
    {
        lock (gate) return Find(reference);
    }

    internal static BerthException NotFound(string reference) => BerthException.NotFound($"network {reference} not found");

    private NetworkRecord? Find(string reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        if (networks.TryGetValue(reference, out var byId)) return byId;
        var byName = networks.Values.FirstOrDefault(n => n.Name == reference);
        if (byName is not null) return byName;
        var prefixed = networks.Values.Where(n => n.Id.StartsWith(reference, StringComparison.Ordinal)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>The endpoints of running containers on a network.</summary>
    public IReadOnlyList<Endpoint> EndpointsOf(string networkId)
    {
        lock (gate) return sandboxes.Values.SelectMany(s => s.Endpoints).Where(e => e.NetworkId == networkId).ToList();
    }

    internal static string NewId()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var sandbox in sandboxes.Values) StopSandboxResources(sandbox);
        }
        host.Dispose();
    }
}
