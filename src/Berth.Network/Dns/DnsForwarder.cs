using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>
/// Passes a query on to upstream resolvers, one after the other, and returns the first useful answer as the
/// upstream sent it (only the ID is the client's again).
/// </summary>
internal sealed class DnsForwarder(TimeSpan upstreamTimeout, ILogger logger)
{
    private const int MaxUdpMessage = ushort.MaxValue;

    /// <summary>
    /// The first answer that is not SERVFAIL or REFUSED, or null when no upstream gave one. A query that came
    /// over TCP goes over TCP; a truncated UDP answer is asked again over TCP and replaces the truncated one
    /// when it fits in <paramref name="maxUdpLength"/>.
    /// </summary>
    public async Task<byte[]?> ForwardAsync(
        ReadOnlyMemory<byte> query, IReadOnlyList<IPEndPoint> upstreams, DnsTransport transport, int maxUdpLength, CancellationToken ct)
    {
        var clientId = DnsPacketHeader.ReadId(query.Span);
        foreach (var upstream in upstreams)
        {
            // A fresh ID per upstream, so an answer can only be taken for the query it answers.
            var forwardId = (ushort)Random.Shared.Next(0x10000);
            var packet = query.ToArray();
            DnsPacketHeader.WriteId(packet, forwardId);
            var answer = transport == DnsTransport.Tcp
                ? await TryExchangeAsync(upstream, packet, forwardId, ExchangeOverTcpAsync, ct)
                : await TryExchangeAsync(upstream, packet, forwardId, ExchangeOverUdpAsync, ct);
            if (answer is null) continue;
            if (transport == DnsTransport.Udp && DnsPacketHeader.ReadFlags(answer).IsTruncated)
            {
                var whole = await TryExchangeAsync(upstream, packet, forwardId, ExchangeOverTcpAsync, ct);
                if (whole is not null && whole.Length <= maxUdpLength) answer = whole;
            }
            var responseCode = DnsPacketHeader.ReadFlags(answer).ResponseCode;
            if (responseCode is DnsResponseCode.ServerFailure or DnsResponseCode.Refused)
            {
                logger.LogDebug("DNS upstream {Upstream} answered {ResponseCode}; trying the next", upstream, responseCode);
                continue;
            }
            DnsPacketHeader.WriteId(answer, clientId);
            return answer;
        }
        return null;
    }

    private delegate Task<byte[]?> Exchange(IPEndPoint upstream, byte[] packet, ushort forwardId, CancellationToken ct);

    private async Task<byte[]?> TryExchangeAsync(IPEndPoint upstream, byte[] packet, ushort forwardId, Exchange exchange, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(upstreamTimeout);
        try
        {
            return await exchange(upstream, packet, forwardId, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogDebug("DNS upstream {Upstream} did not answer within {Timeout}", upstream, upstreamTimeout);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            logger.LogDebug("DNS upstream {Upstream} failed: {Reason}", upstream, e.Message);
        }
        return null;
    }

    private static async Task<byte[]?> ExchangeOverUdpAsync(IPEndPoint upstream, byte[] packet, ushort forwardId, CancellationToken ct)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected, so only the upstream's datagrams arrive and an ICMP "port unreachable" fails fast.
        await socket.ConnectAsync(upstream, ct);
        await socket.SendAsync(packet, SocketFlags.None, ct);
        var buffer = new byte[MaxUdpMessage];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (IsAnswerTo(buffer.AsSpan(0, received), forwardId)) return buffer[..received];
        }
    }

    private static async Task<byte[]?> ExchangeOverTcpAsync(IPEndPoint upstream, byte[] packet, ushort forwardId, CancellationToken ct)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(upstream, ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await DnsTcpFraming.WriteAsync(stream, packet, ct);
        while (await DnsTcpFraming.ReadAsync(stream, ct) is { } answer)
        {
            if (IsAnswerTo(answer, forwardId)) return answer;
        }
        return null;
    }

    private static bool IsAnswerTo(ReadOnlySpan<byte> packet, ushort forwardId) =>
        packet.Length >= DnsMessage.HeaderLength
        && DnsPacketHeader.ReadId(packet) == forwardId
        && DnsPacketHeader.ReadFlags(packet).IsResponse;
}
