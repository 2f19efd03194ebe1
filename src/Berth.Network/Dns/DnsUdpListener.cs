using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>Receives queries on a bound UDP socket and answers each on its own task.</summary>
internal sealed class DnsUdpListener(Socket socket, DnsQueryHandler handler, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var pending = new PendingTasks();
        var buffer = new byte[ushort.MaxValue];
        try
        {
            EndPoint anySender = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!ct.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, ct);
                }
                catch (SocketException e) when (SocketErrors.IsTransient(e.SocketErrorCode))
                {
                    continue;
                }
                var packet = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
                var client = received.RemoteEndPoint;
                pending.Track(Task.Run(() => AnswerAsync(packet, client, ct), CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // The socket was closed under us: serving over it is over.
            logger.LogDebug("DNS: stopped serving UDP: {Reason}", e.Message);
        }
        await pending.WhenAllAsync();
    }

    private async Task AnswerAsync(byte[] packet, EndPoint client, CancellationToken ct)
    {
        try
        {
            var response = await handler.HandleAsync(packet, DnsTransport.Udp, ct);
            if (response is not null) await socket.SendToAsync(response, SocketFlags.None, client, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            logger.LogDebug("DNS: no answer sent to {Client}: {Reason}", client, e.Message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "DNS: answering a query from {Client} failed", client);
        }
    }
}
