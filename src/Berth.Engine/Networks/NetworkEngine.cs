using Berth.Api;
using Berth.Api.Filters;
using Berth.Api.Wire.Containers;
using Berth.Api.Wire.Networks;
using Berth.Engine.Containers;
using Berth.Network.Ipam;
using Berth.Network.Service;
using Berth.Network.Store;

namespace Berth.Engine.Networks;

/// <summary>The networks endpoints: list, inspect, create, remove, prune, connect and disconnect, over the network service and the container engine.</summary>
public sealed class NetworkEngine(NetworkService networks, ContainerEngine containers)
{
    private static readonly string[] ListFilters = ["dangling", "driver", "id", "label", "name", "scope", "type"];
    private static readonly string[] PruneFilters = ["label", "label!", "until"];

    public List<NetworkResource> List(FilterArgs filters)
    {
        filters.Validate(ListFilters);
        if (filters.Contains("type") && filters.Get("type").FirstOrDefault(t => t is not ("builtin" or "custom")) is { } badType)
            throw Api.Errors.BerthException.InvalidParameter($"invalid filter: 'type'='{badType}'");
        var configured = filters.Contains("dangling") ? ConfiguredNetworkIds() : [];
        return networks.List().Where(n => Matches(n, filters, configured)).Select(n => Resource(n, withContainers: false)).ToList();
    }

    public NetworkResource Inspect(string reference) => Resource(networks.Get(reference), withContainers: true);

    public NetworkCreateResponse Create(NetworkCreateRequest request) => networks.Create(request);

    public void Remove(string reference) => networks.Remove(reference);

    public NetworksPruneResponse Prune(FilterArgs filters, DateTimeOffset now)
    {
        filters.Validate(PruneFilters);
        var until = filters.Get("until").Select(v => Timestamps.Parse(v, now)).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var inUse = ConfiguredNetworkIds();
        var removed = networks.Prune(n => !inUse.Contains(n.Id) && new DateTimeOffset(n.Created) <= until
            && filters.MatchKeyValues("label", n.Labels) && !(filters.Contains("label!") && filters.MatchKeyValues("label!", n.Labels)));
        return new NetworksPruneResponse { NetworksDeleted = removed.Count > 0 ? removed : null };
    }

    public Task ConnectAsync(string network, NetworkConnectRequest request, CancellationToken ct) =>
        containers.ConnectAsync(network, request.Container, request.EndpointConfig, ct);

    public Task DisconnectAsync(string network, NetworkDisconnectRequest request, CancellationToken ct) =>
        containers.DisconnectAsync(network, request.Container, request.Force, ct);

    /// <summary>Networks that some container (running or not) is configured to join.</summary>
    private HashSet<string> ConfiguredNetworkIds() =>
        containers.Store.All.SelectMany(c => c.Record.Networks.Values.Select(e => e.NetworkID)).ToHashSet();

    private bool Matches(NetworkRecord n, FilterArgs filters, HashSet<string> configured)
    {
        if (filters.Contains("driver") && !filters.Get("driver").Contains(n.Driver)) return false;
        if (filters.Contains("name") && !filters.Get("name").Any(v => NameMatches(n.Name, v))) return false;
        if (filters.Contains("id") && !filters.Get("id").Any(v => n.Id.StartsWith(v, StringComparison.Ordinal))) return false;
        if (filters.Contains("scope") && !filters.Get("scope").Contains("local")) return false;
        if (filters.Contains("type") && !filters.Get("type").Contains(n.Builtin ? "builtin" : "custom")) return false;
        if (!filters.MatchKeyValues("label", n.Labels)) return false;
        if (filters.Contains("dangling"))
        {
            var dangling = filters.GetBool("dangling", false);
            var used = n.Builtin || networks.EndpointsOf(n.Id).Count > 0 || configured.Contains(n.Id);
            if (dangling == used) return false;
        }
        return true;
    }

    /// <summary>dockerd matches <c>name=</c> as a regular expression (<c>name=^n</c>); a pattern that is not one matches as text.</summary>
    private static bool NameMatches(string name, string pattern)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch(name, pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return name.Contains(pattern, StringComparison.Ordinal);
        }
    }

    private NetworkResource Resource(NetworkRecord n, bool withContainers)
    {
        var resource = new NetworkResource
        {
            Name = n.Name,
            Id = n.Id,
            Created = GoTime.Format(new DateTimeOffset(n.Created)),
            Driver = n.Driver,
            EnableIPv6 = n.EnableIPv6,
            IPAM = new NetworkIpam
            {
                Options = n.IsDefaultBridge ? null : n.IpamOptions ?? [],
                Config = n.Subnets.Select(s => new IpamConfig { Subnet = s.Subnet, IPRange = s.IPRange, Gateway = s.GatewayHidden ? null : s.Gateway, AuxiliaryAddresses = s.AuxiliaryAddresses }).ToList(),
            },
            Internal = n.Internal,
            Attachable = n.Attachable,
            Options = n.Options,
            Labels = n.Labels,
        };
        if (withContainers)
            foreach (var e in networks.EndpointsOf(n.Id))
                resource.Containers[e.ContainerId] = new NetworkContainer
                {
                    Name = e.ContainerName,
                    EndpointID = e.EndpointId,
                    MacAddress = Ipv4.FormatMac(e.Mac),
                    IPv4Address = $"{e.Address}/{e.PrefixLength}",
                };
        return resource;
    }
}
