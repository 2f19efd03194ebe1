using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>
/// Accepts connections on a listening TCP socket; each connection may carry several queries, answered
/// concurrently and possibly out of order (RFC 7766 §6.2.1.1), and is closed after an idle spell.
/// </summary>
internal sealed class DnsTcpListener(Socket listener, DnsQueryHandler handler, TimeSpan idleTimeout, ILogger logger)
{
    private const int MaxConnections = 128;

    private int connections;

    public async Task RunAsync(CancellationToken ct)
    {
        var pending = new PendingTasks();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync(ct);
                }
                catch (SocketException e) when (SocketErrors.IsTransient(e.SocketErrorCode))
                {
                    // Out of descriptors: give the process a moment instead of spinning.
                    if (e.SocketErrorCode == SocketError.TooManyOpenSockets) await Task.Delay(100, ct);
                    continue;
                }
                if (Interlocked.Increment(ref connections) > MaxConnections)
                {
                    Interlocked.Decrement(ref connections);
                    connection.Dispose();
                    logger.LogWarning("DNS: more than {Max} TCP connections at once; closing a new one", MaxConnections);
                    continue;
                }
                pending.Track(Task.Run(() => ServeConnectionAsync(connection, ct), CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // The socket was closed under us: serving over it is over.
            logger.LogDebug("DNS: stopped serving TCP: {Reason}", e.Message);
        }
        await pending.WhenAllAsync();
    }

    private async Task ServeConnectionAsync(Socket connection, CancellationToken ct)
    {
        var queries = new PendingTasks();
        var stream = new NetworkStream(connection, ownsSocket: true);
        using var writeLock = new SemaphoreSlim(1);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(idleTimeout);
                if (await DnsTcpFraming.ReadAsync(stream, idle.Token) is not { } packet) break;
                queries.Track(Task.Run(() => AnswerAsync(packet, stream, writeLock, ct), CancellationToken.None));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // Idle too long, stopped, or the client went away.
        }
        finally
        {
            await queries.WhenAllAsync();
            await stream.DisposeAsync();
            Interlocked.Decrement(ref connections);
        }
    }

    private async Task AnswerAsync(byte[] packet, NetworkStream stream, SemaphoreSlim writeLock, CancellationToken ct)
    {
        try
        {
            var response = await handler.HandleAsync(packet, DnsTransport.Tcp, ct);
            if (response is null) return;
            // A client that stops reading must not hold the connection open for ever.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(idleTimeout);
            await writeLock.WaitAsync(timeout.Token);
            try
            {
                await DnsTcpFraming.WriteAsync(stream, response, timeout.Token);
            }
            finally
            {
                writeLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            logger.LogDebug("DNS: no answer sent over TCP: {Reason}", e.Message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "DNS: answering a query over TCP failed");
        }
    }
}
