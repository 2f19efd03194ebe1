using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>Sends queries to a server under test, as a container's resolver would.</summary>
internal static class DnsTestClient
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static DnsMessage Query(string name, DnsRecordType type, ushort id = 0x4242)
    {
        var query = new DnsMessage { Id = id, RecursionDesired = true };
        query.Questions.Add(new DnsQuestion(name, type));
        return query;
    }

    public static async Task<DnsMessage> AskOverUdpAsync(IPEndPoint server, DnsMessage query) =>
        DnsMessage.Parse(await ExchangeOverUdpAsync(server, query.ToArray(), Patience));

    /// <summary>The reply to a raw packet, or null when none came within <paramref name="wait"/>.</summary>
    public static async Task<byte[]?> TryExchangeOverUdpAsync(IPEndPoint server, byte[] packet, TimeSpan wait)
    {
        try
        {
            return await ExchangeOverUdpAsync(server, packet, wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<DnsMessage> AskOverTcpAsync(IPEndPoint server, DnsMessage query)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, timeout.Token);
        await using var stream = new NetworkStream(socket);
        await WriteFramedAsync(stream, query.ToArray(), timeout.Token);
        return DnsMessage.Parse(await ReadFramedAsync(stream, timeout.Token));
    }

    public static async Task WriteFramedAsync(Stream stream, byte[] packet, CancellationToken ct)
    {
        await stream.WriteAsync(new[] { (byte)(packet.Length >> 8), (byte)packet.Length }, ct);
        await stream.WriteAsync(packet, ct);
    }

    public static async Task<byte[]> ReadFramedAsync(Stream stream, CancellationToken ct)
    {
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, ct);
        var packet = new byte[(prefix[0] << 8) | prefix[1]];
        await stream.ReadExactlyAsync(packet, ct);
        return packet;
    }

    private static async Task<byte[]> ExchangeOverUdpAsync(IPEndPoint server, byte[] packet, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, timeout.Token);
        await socket.SendAsync(packet, SocketFlags.None, timeout.Token);
        var buffer = new byte[ushort.MaxValue];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..received];
    }
}
