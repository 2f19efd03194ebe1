using System.Net;

namespace Berth.Engine.Containers;

/// <summary>What a container's /etc/hosts and /etc/resolv.conf depend on: the host's stack or its own, the embedded DNS, its addresses and its links.</summary>
internal sealed record NetworkFacts(bool HostNetwork, bool EmbeddedDns, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<ContainerEngine.HostsLink> Links)
{
    public static readonly NetworkFacts Host = new(true, false, [], []);
    public static readonly NetworkFacts Unplumbed = new(false, false, [], []);
}
