using Berth.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Holds a handle on a running container's init, so signals go to exactly that process (never
    /// to a later one that reuses its PID) without starting a runc process. The PID must be
    /// checked to be the container's before (<see cref="IsContainerProcess"/>) when it comes from disk.
    /// </summary>
    private static void TrackInit(Container container, int pid)
    {
        ReleaseInit(container);
        container.Init = ProcessHandle.Open(pid);
    }

    private static void ReleaseInit(Container container)
    {
        container.Init?.Dispose();
        container.Init = null;
    }

    /// <summary>
    /// Signals the container's init. With its own PID namespace a SIGKILL of init ends every
    /// process in it, so <paramref name="all"/> needs runc only for a shared namespace.
    /// </summary>
    private async Task SendSignalAsync(Container container, int signal, bool all)
    {
        var ownPidNamespace = string.IsNullOrEmpty(container.Record.HostConfig.PidMode);
        if (container.Init is { } init && (!all || ownPidNamespace))
        {
            init.Signal(signal);
            return;
        }
        await monitor.Runc.KillAsync(container.Id, signal, all, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="pid"/> runs in the container's cgroup (PIDs are reused after a reboot).</summary>
    private static bool IsContainerProcess(int pid, string containerId)
    {
        try
        {
            return pid > 0 && File.ReadAllText($"/proc/{pid}/cgroup").Contains(containerId, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
