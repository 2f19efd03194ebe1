using System.Net.Sockets;
using Berth.Engine.Logs;
using Berth.Engine.Streams;
using Berth.Runtime.Conmon;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>The stream header values conmon's attach socket puts before each message.</summary>
    private const byte AttachStdout = 2, AttachStderr = 3;

    /// <summary>
    /// Connects a client to a container's stdio through its monitor's attach socket: output to the
    /// client (multiplexed unless the container has a TTY), the client's input to the container's
    /// stdin until the client closes it or types the detach keys. When the container is not
    /// running yet, waits for it to start. Returns when the output ends or the client detaches.
    /// </summary>
    /// <remarks>
    /// The wait for the start is registered before <paramref name="hijack"/> answers the client:
    /// the docker CLI starts the container as soon as its attach is answered, and output written
    /// before the registration would be lost.
    /// </remarks>
    public async Task AttachAsync(string reference, AttachOptions options, Func<Task<Stream>> hijack, CancellationToken ct)
    {
        var container = Get(reference);
        string? socketPath;
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        TaskCompletionSource<Socket?>? waiting = null;
        try
        {
            if (container.IsRunning) socketPath = MonitorFiles.AttachSocket(container.RunDirectory);
            else
            {
                waiting = new TaskCompletionSource<Socket?>(TaskCreationOptions.RunContinuationsAsynchronously);
                container.WaitingAttachers.Add(waiting);
                socketPath = null;
            }
        }
        finally
        {
            container.Lock.Release();
        }
        Socket? socket = null;
        try
        {
            var client = await hijack().ConfigureAwait(false);
            var writer = new MultiplexedWriter(client, container.Record.Config.Tty);
            if (options.Logs)
            {
                var logOptions = new LogReadOptions { Stdout = options.Stdout, Stderr = options.Stderr };
                await foreach (var entry in LogReader.ReadAsync(container.LogPath, logOptions, () => false, () => Task.CompletedTask, ct).ConfigureAwait(false))
                    await writer.WriteAsync(entry.Stream, entry.Content, ct).ConfigureAwait(false);
            }
            if (!options.Stream) return;
            if (waiting is not null)
            {
                // The start connects the socket before the container runs, so no output is lost.
                await using var registration = ct.Register(() => waiting.TrySetCanceled()).ConfigureAwait(false);
                socket = await waiting.Task.ConfigureAwait(false);
                if (socket is null) return;
            }
            else socket = Connect(socketPath!);
            await PumpAsync(socket, container.Record.Config.OpenStdin && options.Stdin, options, writer, client, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client went away.
        }
        catch (SocketException e)
        {
            // The monitor went away (the container ended) between the check and the connection.
            logger.LogDebug("Attach to {Id} ended: {Message}", container.Id, e.Message);
        }
        finally
        {
            socket?.Dispose();
            if (waiting is not null)
            {
                await container.Lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                container.WaitingAttachers.Remove(waiting);
                container.Lock.Release();
            }
        }
    }

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Called by start (lock held) once the monitor listens and before the container runs.</summary>
    private void ConnectWaitingAttachers(Container container)
    {
        var path = MonitorFiles.AttachSocket(container.RunDirectory);
        foreach (var waiting in container.WaitingAttachers.ToList())
        {
            container.WaitingAttachers.Remove(waiting);
            Socket socket;
            try
            {
                socket = Connect(path);
            }
            catch (SocketException)
            {
                waiting.TrySetResult(null);
                continue;
            }
            // The waiter may have gone (cancelled) meanwhile; then nobody will use the connection.
            if (!waiting.TrySetResult(socket)) socket.Dispose();
        }
    }


    private static void FailWaitingAttachers(Container container)
    {
        foreach (var waiting in container.WaitingAttachers) waiting.TrySetResult(null);
        container.WaitingAttachers.Clear();
    }

    /// <summary>Copies between the monitor's socket and the client until the output ends; true when the client detached.</summary>
    private static async Task<bool> PumpAsync(Socket socket, bool stdin, AttachOptions options, MultiplexedWriter writer, Stream client, CancellationToken ct)
    {
        using var detached = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var output = Task.Run(async () =>
        {
            var buffer = new byte[32 * 1024 + 1];
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, detached.Token).ConfigureAwait(false);
                if (n <= 0) break;
                if (n == 1) continue;
                var stream = buffer[0] == AttachStderr ? OutputStream.Stderr : OutputStream.Stdout;
                if (stream == OutputStream.Stderr ? !options.Stderr : !options.Stdout) continue;
                await writer.WriteAsync(stream, buffer.AsMemory(1, n - 1), detached.Token).ConfigureAwait(false);
                await writer.FlushAsync(detached.Token).ConfigureAwait(false);
            }
        }, detached.Token);
        Task input = Task.CompletedTask;
        if (stdin)
        {
            input = Task.Run(async () =>
            {
                var buffer = new byte[32 * 1024];
                while (true)
                {
                    var n = await client.ReadAsync(buffer, detached.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    }
                    var (forward, detach) = options.DetachKeys.Scan(buffer.AsSpan(0, n));
                    if (forward.Length > 0) await socket.SendAsync(forward, SocketFlags.None, detached.Token).ConfigureAwait(false);
                    if (detach)
                    {
                        await detached.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }, detached.Token);
        }
        try
        {
            await Task.WhenAny(output, input.ContinueWith(_ => output, TaskScheduler.Default).Unwrap()).ConfigureAwait(false);
            await output.ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return true;
        }
        finally
        {
            await detached.CancelAsync().ConfigureAwait(false);
        }
    }
}
