using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>An <see cref="EmbeddedDnsServer"/> serving sockets on 127.0.0.1 ephemeral ports, as berthd would at 127.0.0.11:53.</summary>
internal sealed class RunningDnsServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();

    private RunningDnsServer(EmbeddedDnsServer server, IDnsRecords records)
    {
        Udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Tcp.Listen();
        Serving = server.ServeAsync(Udp, Tcp, records, stop.Token);
    }

    public Socket Udp { get; }
    public Socket Tcp { get; }
    public Task Serving { get; }
    public IPEndPoint UdpEndPoint => (IPEndPoint)Udp.LocalEndPoint!;
    public IPEndPoint TcpEndPoint => (IPEndPoint)Tcp.LocalEndPoint!;

    public static RunningDnsServer Start(IDnsRecords records, EmbeddedDnsServer? server = null) =>
        new(server ?? new EmbeddedDnsServer(), records);

    public void Stop() => stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Serving.WaitAsync(TimeSpan.FromSeconds(10));
        Udp.Dispose();
        Tcp.Dispose();
        stop.Dispose();
    }
}
