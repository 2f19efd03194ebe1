using Berth.Engine.Health;
using Berth.Images.Snapshots;
using Berth.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Runs when a container's monitor ends: records the exit code conmon wrote, whether the
    /// kernel's OOM killer struck, tears down the runtime state, wakes waiters, and then applies
    /// the restart policy or <c>--rm</c>.
    /// </summary>
    private async Task OnMonitorExitAsync(Container container, int monitorPid)
    {
        try
        {
            await container.Lock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (container.Record.MonitorPid != monitorPid || !container.IsRunning) return;
                await SettleExitLockedAsync(container).ConfigureAwait(false);
            }
            finally
            {
                container.Lock.Release();
            }
            await AfterExitAsync(container).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Handling the exit of container {Id} failed", container.Id);
        }
    }

    /// <summary>
    /// Records the end of a run and wakes its waiters, then tears down the runtime state; the
    /// caller holds the lock, so whatever comes next (start, remove) waits for the teardown while
    /// the waiters already have their answer.
    /// </summary>
    private async Task SettleExitLockedAsync(Container container)
    {
        var record = container.Record;
        var exitCode = monitor.ReadExitCode(container.Id) ?? 255;
        record.OomKilled = CgroupOf(record).WasOomKilled();
        record.Status = ContainerStatus.Exited;
        record.ExitCode = exitCode;
        record.FinishedAt = DateTime.UtcNow;
        record.Pid = 0;
        record.MonitorPid = 0;
        ReleaseInit(container);
        container.Process = null;
        StopHealthMonitor(container);
        if (record.Health is { } health) HealthRecorder.Stopped(health);
        container.SignalExit(exitCode);
        ReleaseNetwork(record);
        await CleanupRuntimeAsync(container).ConfigureAwait(false);
        ReleaseMounts(record);
        store.Save(container);
    }

    /// <summary>Deletes runc's state, unmounts the root and removes the bundle; safe to call when any of it is already gone.</summary>
    private async Task CleanupRuntimeAsync(Container container)
    {
        var stopped = container.Record.MonitorPid == 0 || !MonitorAlive(container.Record);
        if (Directory.Exists(Path.Combine(monitor.Runc.StateRoot, container.Id))
            && !(stopped && StoppedContainerCleaner.TryDelete(monitor.Runc, container.Id, CgroupPath(container.Record))))
        {
            try
            {
                await monitor.Runc.DeleteAsync(container.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RuntimeException e)
            {
                logger.LogWarning("runc delete {Id}: {Message}", container.Id, e.Message);
            }
        }
        if (Directory.Exists(container.RootfsPath) && Images.Native.Libc.IsMountPoint(container.RootfsPath))
            Mounter.Unmount(container.RootfsPath);
        monitor.ForgetExit(container.Id);
        Images.Storage.Directories.DeleteTree(container.RunDirectory);
    }
}
