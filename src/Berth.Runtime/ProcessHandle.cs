using Berth.Runtime.Native;

namespace Berth.Runtime;

/// <summary>A pidfd: a reference to one process that signals can be sent to without the risk of reaching a later process with the same PID.</summary>
public sealed class ProcessHandle : IDisposable
{
    private int pidfd;

    private ProcessHandle(int pidfd) => this.pidfd = pidfd;

    /// <summary>A handle on <paramref name="pid"/>, or null when no such process exists.</summary>
    public static ProcessHandle? Open(int pid)
    {
        var fd = pid > 0 ? Posix.PidfdOpen(pid) : -1;
        return fd >= 0 ? new ProcessHandle(fd) : null;
    }

    /// <summary>Sends a signal; false when the process has ended.</summary>
    public bool Signal(int signal) => pidfd >= 0 && Posix.PidfdSendSignal(pidfd, signal);

    public void Dispose()
    {
        Posix.Close(pidfd);
        pidfd = -1;
    }
}
