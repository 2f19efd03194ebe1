using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>
/// A resolver standing in for the host's, on 127.0.0.1 with the same port for UDP and TCP. It answers with
/// what the test's function returns for the query and the transport; null means staying silent.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Func<DnsMessage, bool, DnsMessage?> answer;
    private readonly Socket udp;
    private readonly Socket tcp;
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;
    private int udpQueries;
    private int tcpQueries;

    /// <param name="answer">The reply to a query; its second argument is true over TCP.</param>
    public FakeUpstream(Func<DnsMessage, bool, DnsMessage?> answer)
    {
        this.answer = answer;
        (udp, tcp) = BindSamePort();
        serving = Task.WhenAll(ServeUdpAsync(), ServeTcpAsync());
    }

    public IPEndPoint EndPoint => (IPEndPoint)udp.LocalEndPoint!;
    public int UdpQueries => Volatile.Read(ref udpQueries);
    public int TcpQueries => Volatile.Read(ref tcpQueries);

    /// <summary>An upstream that answers every A query with one address.</summary>
    public static FakeUpstream Answering(string address) => new((query, _) =>
    {
        var reply = query.CreateReply();
        reply.RecursionAvailable = true;
        reply.Answers.Add(DnsResourceRecord.ForAddress(query.Questions[0].Name, IPAddress.Parse(address), 30));
        return reply;
    });

    public static FakeUpstream Replying(DnsResponseCode responseCode) => new((query, _) => query.CreateReply(responseCode));

    public static FakeUpstream Silent() => new((_, _) => null);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        udp.Dispose();
        tcp.Dispose();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        stop.Dispose();
    }

    private static (Socket Udp, Socket Tcp) BindSamePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            tcp.Listen();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)tcp.LocalEndPoint!).Port));
                return (udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[ushort.MaxValue];
        while (!stop.IsCancellationRequested)
        {
            var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            Interlocked.Increment(ref udpQueries);
            if (answer(DnsMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes)), false) is { } reply)
                await udp.SendToAsync(reply.ToArray(), SocketFlags.None, received.RemoteEndPoint, stop.Token);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            using var connection = await tcp.AcceptAsync(stop.Token);
            await using var stream = new NetworkStream(connection);
            var query = DnsMessage.Parse(await DnsTestClient.ReadFramedAsync(stream, stop.Token));
            Interlocked.Increment(ref tcpQueries);
            if (answer(query, true) is { } reply) await DnsTestClient.WriteFramedAsync(stream, reply.ToArray(), stop.Token);
        }
    }
}
