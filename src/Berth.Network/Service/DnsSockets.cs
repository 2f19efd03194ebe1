using System.Net;
using System.Net.Sockets;
using Berth.Network.Nft;

namespace Berth.Network.Service;

/// <summary>
/// The embedded DNS server's sockets inside a container's namespace. As in dockerd they listen on
/// 127.0.0.11 at ports of their own, and nftables rules in the container's namespace send
/// 127.0.0.11:53 there, so port 53 stays free for a DNS server the container runs itself.
/// </summary>
internal sealed class DnsSockets(Socket udp, Socket tcp) : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");

    public Socket Udp { get; } = udp;
    public Socket Tcp { get; } = tcp;

    /// <summary>Binds both sockets and redirects port 53 to them; call it on a thread inside the container's namespace.</summary>
    public static DnsSockets Bind()
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(new IPEndPoint(Address, 0));
            tcp.Bind(new IPEndPoint(Address, 0));
            tcp.Listen(64);
            using var nftables = new Nftables();
            nftables.Run(RedirectScript(((IPEndPoint)udp.LocalEndPoint!).Port, ((IPEndPoint)tcp.LocalEndPoint!).Port));
            return new DnsSockets(udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>The container's own table: its queries to 127.0.0.11:53 go to the server's ports (conntrack turns the answers back).</summary>
    internal static string RedirectScript(int udpPort, int tcpPort) => $$"""
        table ip berth-dns {}
        delete table ip berth-dns
        table ip berth-dns {
        	chain output {
        		type nat hook output priority -100; policy accept;
        		ip daddr 127.0.0.11 udp dport 53 dnat to 127.0.0.11:{{udpPort}}
        		ip daddr 127.0.0.11 tcp dport 53 dnat to 127.0.0.11:{{tcpPort}}
        	}
        }

        """;

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
