using System.Collections.Concurrent;
using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>A container's view, set up by a test; remembers the names it was asked for.</summary>
internal sealed class FakeRecords : IDnsRecords
{
    public Dictionary<string, IPAddress[]> Names { get; } = [];
    public Dictionary<IPAddress, string> Addresses { get; } = [];
    public List<IPEndPoint> UpstreamList { get; } = [];
    public ConcurrentQueue<string> NamesLookedUp { get; } = new();
    public bool Throws { get; set; }

    public IReadOnlyList<IPAddress> LookupName(string name)
    {
        if (Throws) throw new InvalidOperationException("the records are broken");
        NamesLookedUp.Enqueue(name);
        return Names.TryGetValue(name, out var addresses) ? addresses : [];
    }

    public string? LookupAddress(IPAddress address) => Addresses.GetValueOrDefault(address);

    public IReadOnlyList<IPEndPoint> Upstreams => UpstreamList;
}
