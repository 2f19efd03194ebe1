using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Service;

/// <summary>The embedded DNS server's sockets inside a container's namespace: UDP and TCP on 127.0.0.11:53 (an address of the namespace's own loopback).</summary>
internal sealed class DnsSockets(Socket udp, Socket tcp) : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");

    public Socket Udp { get; } = udp;
    public Socket Tcp { get; } = tcp;

    /// <summary>Binds both sockets; call it on a thread inside the container's namespace.</summary>
    public static DnsSockets Bind()
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(new IPEndPoint(Address, 53));
            tcp.Bind(new IPEndPoint(Address, 53));
            tcp.Listen(64);
            return new DnsSockets(udp, tcp);
        }
        catch
        {
            udp.Dispose();
            tcp.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
