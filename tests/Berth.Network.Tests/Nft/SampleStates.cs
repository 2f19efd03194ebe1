using System.Net;
using Berth.Network.Nft;

namespace Berth.Network.Tests.Nft;

internal static class SampleStates
{
    /// <summary>The default network with two published ports, and an internal network without ICC.</summary>
    public static FirewallState TwoNetworks { get; } = new(
        [
            new FirewallNetwork("bridge", "berth0", "172.17.0.0/16"),
            new FirewallNetwork("backend", "br-1a2b3c4d5e6f", "172.18.0.0/16", Internal: true, Icc: false),
        ],
        [
            new PublishedPort(PortProtocol.Tcp, IPAddress.Any, 8080, IPAddress.Parse("172.17.0.2"), 80, "berth0"),
            new PublishedPort(PortProtocol.Udp, IPAddress.Loopback, 5353, IPAddress.Parse("172.17.0.3"), 53, "berth0"),
        ]);
}
