using Berth.Api.Errors;
using Berth.Network.Store;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    /// <summary>Removes a user-defined network with no running containers on it: its bridge, its rules and its record.</summary>
    public void Remove(string reference)
    {
        lock (gate)
        {
            var network = Find(reference) ?? throw NotFound(reference);
            if (network.Builtin) throw BerthException.Forbidden($"{network.Name} is a pre-defined network and cannot be removed");
            if (sandboxes.Values.Any(s => s.Endpoints.Any(e => e.NetworkId == network.Id)))
                throw BerthException.Forbidden($"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            RemoveLocked(network);
        }
    }

    /// <summary>Removes every user-defined network without running containers that <paramref name="include"/> accepts; returns their names.</summary>
    public List<string> Prune(Func<NetworkRecord, bool> include)
    {
        var removed = new List<string>();
        lock (gate)
        {
            foreach (var network in networks.Values.Where(n => !n.Builtin).OrderBy(n => n.Created).ToList())
            {
                if (!include(network) || sandboxes.Values.Any(s => s.Endpoints.Any(e => e.NetworkId == network.Id))) continue;
                RemoveLocked(network);
                removed.Add(network.Name);
            }
        }
        return removed;
    }

    private void RemoveLocked(NetworkRecord network)
    {
        store.Delete(network.Id);
        networks.Remove(network.Id);
        pools.Remove(network.Id);
        if (network.Driver == Drivers.Bridge)
        {
            host.DeleteLink(network.BridgeName);
            ApplyFirewall();
        }
    }
}
