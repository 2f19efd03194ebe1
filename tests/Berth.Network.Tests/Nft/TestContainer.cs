using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Network.Tests.Nft;

/// <summary>
/// A "container" for traffic tests: a network namespace of its own whose eth0 is a veth pair with
/// the host's end in the namespace of the thread that made it, a TCP server on port 80 that answers
/// every connection with the address it came from, a UDP socket on port 80 that tells whether
/// anything arrived, and client sockets made inside it (sockets stay in the namespace they were made in,
/// and keep it alive).
/// </summary>
internal sealed class TestContainer : IDisposable
{
    public const int ServerPort = 80;

    private readonly Socket listener;
    private readonly Socket datagrams;
    private readonly Socket datagramSender;
    private readonly Queue<Socket> clients;

    private TestContainer(Socket listener, Socket datagrams, Socket datagramSender, Queue<Socket> clients)
    {
        this.listener = listener;
        this.datagrams = datagrams;
        this.datagramSender = datagramSender;
        this.clients = clients;
        _ = Task.Run(Serve);
    }

    /// <summary>Made from a thread in the host namespace; the host's end of the veth is attached to <paramref name="bridge"/> in hairpin mode.</summary>
    public static TestContainer Start(string hostVeth, string bridge, IPAddress address, IPAddress gateway, int clientCount)
    {
        var hostThread = IsolatedNetworkNamespace.CurrentThreadId();
        var container = IsolatedNetworkNamespace.Run(() =>
        {
            IpCommand.Run("link", "add", "eth0", "type", "veth", "peer", "name", hostVeth, "netns", hostThread.ToString());
            IpCommand.Run("addr", "add", $"{address}/24", "dev", "eth0");
            IpCommand.Run("link", "set", "eth0", "up");
            IpCommand.Run("link", "set", "lo", "up");
            IpCommand.Run("route", "add", "default", "via", gateway.ToString());
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Any, ServerPort));
            listener.Listen();
            var datagrams = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            datagrams.Bind(new IPEndPoint(IPAddress.Any, ServerPort));
            var datagramSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var clients = Enumerable.Range(0, clientCount)
                .Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 });
            return new TestContainer(listener, datagrams, datagramSender, new Queue<Socket>(clients));
        });
        IpCommand.Run("link", "set", hostVeth, "master", bridge, "up");
        // As berthd does: br_netfilter bridges a container's packets to its own published port back out of their port.
        IpCommand.Run("link", "set", hostVeth, "type", "bridge_slave", "hairpin", "on");
        return container;
    }

    /// <summary>
    /// Connects one of the container's own client sockets to <paramref name="endpoint"/> and returns
    /// the address the server there saw, or null when no connection was made within <paramref name="patience"/>.
    /// </summary>
    public string? PeerAddressSeenBy(IPEndPoint endpoint, TimeSpan patience)
    {
        using var client = clients.Dequeue();
        try
        {
            if (!client.ConnectAsync(endpoint).Wait(patience))
                return null;
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return null;
        }
        var answer = new MemoryStream();
        var buffer = new byte[64];
        int read;
        while ((read = client.Receive(buffer)) > 0)
            answer.Write(buffer, 0, read);
        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>Sends one datagram; unlike a connection, it shows a way in even when no reply could come back.</summary>
    public void SendDatagram(IPEndPoint endpoint) => datagramSender.SendTo("x"u8, endpoint);

    /// <summary>Whether a datagram arrives on the UDP port within <paramref name="patience"/>.</summary>
    public bool ReceivesDatagram(TimeSpan patience)
    {
        datagrams.ReceiveTimeout = (int)patience.TotalMilliseconds;
        try
        {
            return datagrams.Receive(new byte[16]) > 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }

    public void Dispose()
    {
        listener.Dispose();
        datagrams.Dispose();
        datagramSender.Dispose();
        foreach (var client in clients)
            client.Dispose();
    }

    private void Serve()
    {
        try
        {
            while (true)
            {
                using var connection = listener.Accept();
                connection.Send(Encoding.ASCII.GetBytes(((IPEndPoint)connection.RemoteEndPoint!).Address.ToString()));
                connection.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was disposed.
        }
    }
}
