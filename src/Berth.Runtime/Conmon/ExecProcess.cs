using Berth.Runtime.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Conmon;

/// <summary>
/// An exec session whose monitor is up and waiting: its attach socket exists, and nothing runs
/// in the container until <see cref="RunAsync"/>. conmon's three pipes are held here: the start
/// pipe (we write), the attach pipe and the sync pipe (conmon writes the PID, then the exit code).
/// </summary>
public sealed class ExecProcess : IAsyncDisposable
{
    private readonly FileStream start;
    private readonly SyncPipeReader sync;

    internal ExecProcess(int startWrite, int syncRead, string attachSocket)
    {
        start = new FileStream(new SafeFileHandle(startWrite, ownsHandle: true), FileAccess.Write, 1);
        sync = new SyncPipeReader(new FileStream(new SafeFileHandle(syncRead, ownsHandle: true), FileAccess.Read, 1));
        AttachSocket = attachSocket;
    }

    /// <summary>The monitor's attach socket (SOCK_SEQPACKET): connect before <see cref="RunAsync"/> to miss no output.</summary>
    public string AttachSocket { get; }

    /// <summary>Lets runc exec the process; returns its PID, or throws with runc's message when it could not start.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await SignalStartAsync(ct).ConfigureAwait(false);
        var message = await sync.ReadAsync(ct).ConfigureAwait(false);
        if (message is null) throw new RuntimeException("the exec monitor exited without reporting");
        if (message.Data <= 0) throw new RuntimeException(ConmonDriver.CleanMessage(message.Message ?? "the exec monitor failed to start the process"));
        return message.Data;
    }

    /// <summary>One byte on the start pipe: the first lets conmon set up, the second lets it run runc exec.</summary>
    internal async Task SignalStartAsync(CancellationToken ct)
    {
        await start.WriteAsync(new byte[] { 0 }, ct).ConfigureAwait(false);
        await start.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Completes with the process's exit code once it has ended and its output is drained (-1 when the monitor died without saying).</summary>
    public async Task<int> WaitExitAsync(CancellationToken ct)
    {
        var message = await sync.ReadAsync(ct).ConfigureAwait(false);
        return message?.Data ?? -1;
    }

    public async ValueTask DisposeAsync()
    {
        await start.DisposeAsync().ConfigureAwait(false);
        await sync.DisposeAsync().ConfigureAwait(false);
    }

    internal static void CloseQuietly(params int[] fds)
    {
        foreach (var fd in fds) Posix.Close(fd);
    }
}
