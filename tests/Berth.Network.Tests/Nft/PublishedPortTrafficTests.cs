using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Network.Nft;

namespace Berth.Network.Tests.Nft;

/// <summary>
/// Packets through applied rules, between a "host" namespace with bridges and "container"
/// namespaces on them, all made by the test.
/// </summary>
public sealed class PublishedPortTrafficTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Blocked = TimeSpan.FromSeconds(1);

    private static readonly IPAddress GatewayA = IPAddress.Parse("10.89.0.1"), ContainerA = IPAddress.Parse("10.89.0.2"), ContainerA2 = IPAddress.Parse("10.89.0.3");
    private static readonly IPAddress GatewayB = IPAddress.Parse("10.89.1.1"), ContainerB = IPAddress.Parse("10.89.1.2");

    private static readonly FirewallNetwork NetworkA = new("a", "berth-a", "10.89.0.0/24");
    private static readonly FirewallNetwork NetworkB = new("b", "berth-b", "10.89.1.0/24");
    private static readonly PublishedPort PortOfA = new(PortProtocol.Tcp, IPAddress.Any, 9080, ContainerA, TestContainer.ServerPort, "berth-a");

    [Fact]
    public void A_published_port_answers_on_the_hosts_loopback_from_the_bridge_address()
    {
        var seenFrom = IsolatedNetworkNamespace.Run(() =>
        {
            HostNamespace.Prepare();
            HostNamespace.AddBridge(NetworkA.BridgeName, GatewayA);
            using var a = TestContainer.Start("veth-a", NetworkA.BridgeName, ContainerA, GatewayA, clientCount: 0);
            using var nftables = new Nftables();
            new Firewall(nftables).Apply(new FirewallState([NetworkA], [PortOfA]));
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            Assert.True(client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, PortOfA.HostPort)).Wait(Patience));
            return ReadAll(client);
        });
        Assert.Equal(GatewayA.ToString(), seenFrom);
    }

    [Fact]
    public void Networks_are_isolated_both_ways_but_reach_published_ports_through_the_host()
    {
        IsolatedNetworkNamespace.Run(() =>
        {
            HostNamespace.Prepare();
            HostNamespace.AddBridge(NetworkA.BridgeName, GatewayA);
            HostNamespace.AddBridge(NetworkB.BridgeName, GatewayB);
            using var a = TestContainer.Start("veth-a", NetworkA.BridgeName, ContainerA, GatewayA, clientCount: 2);
            using var a2 = TestContainer.Start("veth-a2", NetworkA.BridgeName, ContainerA2, GatewayA, clientCount: 1);
            using var b = TestContainer.Start("veth-b", NetworkB.BridgeName, ContainerB, GatewayB, clientCount: 3);
            var toA = new IPEndPoint(ContainerA, TestContainer.ServerPort);
            var toB = new IPEndPoint(ContainerB, TestContainer.ServerPort);

            // Without Berth's rules the host routes between the bridges.
            Assert.Equal(ContainerB.ToString(), b.PeerAddressSeenBy(toA, Patience));

            using var nftables = new Nftables();
            new Firewall(nftables).Apply(new FirewallState([NetworkA, NetworkB], [PortOfA]));

            Assert.Null(b.PeerAddressSeenBy(toA, Blocked));
            Assert.Null(a.PeerAddressSeenBy(toB, Blocked));
            // Through the host's address: DNAT, forwarded between the bridges, masqueraded on the way.
            Assert.Equal(GatewayA.ToString(), b.PeerAddressSeenBy(new IPEndPoint(GatewayB, PortOfA.HostPort), Patience));
            // Containers reaching a published port on their own bridge (their own, or a neighbour's)
            // are masqueraded, so replies come back through the host.
            Assert.Equal(GatewayA.ToString(), a.PeerAddressSeenBy(new IPEndPoint(GatewayA, PortOfA.HostPort), Patience));
            Assert.Equal(GatewayA.ToString(), a2.PeerAddressSeenBy(new IPEndPoint(GatewayA, PortOfA.HostPort), Patience));
        });
    }

    [Fact]
    public void An_internal_network_reaches_nothing_beyond_its_bridge_and_nothing_reaches_it()
    {
        var internalNetwork = new FirewallNetwork("i", "berth-i", "10.89.2.0/24", Internal: true);
        IPAddress gatewayI = IPAddress.Parse("10.89.2.1"), containerI = IPAddress.Parse("10.89.2.2");
        IsolatedNetworkNamespace.Run(() =>
        {
            HostNamespace.Prepare();
            HostNamespace.AddBridge(NetworkA.BridgeName, GatewayA);
            HostNamespace.AddBridge(internalNetwork.BridgeName, gatewayI);
            using var a = TestContainer.Start("veth-a", NetworkA.BridgeName, ContainerA, GatewayA, clientCount: 2);
            using var i = TestContainer.Start("veth-i", internalNetwork.BridgeName, containerI, gatewayI, clientCount: 3);
            var toA = new IPEndPoint(ContainerA, TestContainer.ServerPort);

            Assert.Equal(containerI.ToString(), i.PeerAddressSeenBy(toA, Patience));

            using var nftables = new Nftables();
            var udpPortOfA = PortOfA with { Protocol = PortProtocol.Udp };
            new Firewall(nftables).Apply(new FirewallState([NetworkA, internalNetwork], [PortOfA, udpPortOfA]));

            a.SendDatagram(new IPEndPoint(GatewayA, udpPortOfA.HostPort));
            Assert.True(a.ReceivesDatagram(Patience));
            // Not even one way: a datagram needs no reply to leak.
            i.SendDatagram(new IPEndPoint(gatewayI, udpPortOfA.HostPort));
            Assert.False(a.ReceivesDatagram(Blocked));
            Assert.Null(i.PeerAddressSeenBy(toA, Blocked));
            Assert.Null(i.PeerAddressSeenBy(new IPEndPoint(gatewayI, PortOfA.HostPort), Blocked));
            Assert.Null(a.PeerAddressSeenBy(new IPEndPoint(containerI, TestContainer.ServerPort), Blocked));
            // The way between A's containers and the published port stays open.
            Assert.Equal(GatewayA.ToString(), a.PeerAddressSeenBy(new IPEndPoint(GatewayA, PortOfA.HostPort), Patience));
        });
    }

    private static string ReadAll(Socket socket)
    {
        var answer = new MemoryStream();
        var buffer = new byte[64];
        int read;
        while ((read = socket.Receive(buffer)) > 0)
            answer.Write(buffer, 0, read);
        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
