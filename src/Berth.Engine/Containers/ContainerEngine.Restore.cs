using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Takes over what a previous berthd left (live restore): half-made containers are deleted,
    /// unfinished removals completed, containers whose monitor still runs are watched again,
    /// those that ended meanwhile get the exit code their monitor wrote, and the restart
    /// policies then start what should run (after a host reboot, everything that was up).
    /// </summary>
    private async Task RestoreAsync(CancellationToken ct)
    {
        var toRestart = new List<Container>();
        var toRemove = new List<Container>();
        foreach (var container in store.All.ToList())
        {
            var record = container.Record;
            if (record.Creating || record.Status == ContainerStatus.Removing)
            {
                logger.LogInformation("Removing container {Id} left half made or half removed", container.Id);
                await CleanupRuntimeAsync(container).ConfigureAwait(false);
                await DiscardAsync(container, ct).ConfigureAwait(false);
                continue;
            }
            if (record.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
                await RollBackInterruptedStartAsync(container).ConfigureAwait(false);
            if (record.Status is ContainerStatus.Running or ContainerStatus.Paused)
            {
                if (MonitorAlive(record))
                {
                    var monitorPid = record.MonitorPid;
                    if (IsContainerProcess(record.Pid, container.Id)) TrackInit(container, record.Pid);
                    try
                    {
                        await RestoreNetworkAsync(container).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is Api.Errors.BerthException or IOException or System.Net.Sockets.SocketException)
                    {
                        logger.LogError("Cannot take over the network of container {Id}: {Message}", container.Id, e.Message);
                    }
                    foreach (var point in record.MountPoints.Where(p => p.Type == "volume" && volumes.TryGet(p.Name) is not null)) volumes.Acquire(point.Name);
                    StartHealthMonitor(container);
                    SettleFreezerState(container);
                    exits.Watch(monitorPid, () => _ = OnMonitorExitAsync(container, monitorPid));
                    continue;
                }
                await SettleExitLockedAsync(container).ConfigureAwait(false);
            }
            else if (record.Status == ContainerStatus.Restarting)
            {
                record.Status = ContainerStatus.Exited;
                store.Save(container);
            }
            // As dockerd at start: every container that ran before and whose policy says so, even an
            // `always` one the user stopped (unless-stopped is the policy that remembers the stop).
            if (record.Status == ContainerStatus.Exited && record.HasBeenStarted && ShouldRestart(record, canceled: false)) toRestart.Add(container);
            // A --rm container that ended while no berthd watched it goes now, as dockerd removes them at start.
            else if (record.Status == ContainerStatus.Exited && record.HostConfig.AutoRemove) toRemove.Add(container);
        }
        foreach (var container in toRemove)
        {
            try
            {
                await RemoveAsync(container.Id, force: true, removeVolumes: true, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Api.Errors.BerthException or IOException)
            {
                logger.LogError("Failed to remove container {Id}: {Message}", container.Id, e.Message);
            }
        }
        await RemoveOrphanSnapshotsAsync(ct).ConfigureAwait(false);
        foreach (var container in toRestart)
        {
            try
            {
                await container.Lock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    // As dockerd's start of a container at daemon start: a fresh restart count and no remembered stop.
                    container.Record.RestartCount = 0;
                    container.Record.ManuallyStopped = false;
                    await StartLockedAsync(container, ct).ConfigureAwait(false);
                }
                finally
                {
                    container.Lock.Release();
                }
            }
            catch (Exception e) when (e is Api.Errors.BerthException or IOException)
            {
                logger.LogError("Failed to restart container {Id}: {Message}", container.Id, e.Message);
            }
        }
    }

    /// <summary>Whether the recorded monitor PID is still this container's conmon (PIDs are reused after a reboot).</summary>
    private static bool MonitorAlive(ContainerRecord record)
    {
        if (record.MonitorPid <= 0) return false;
        try
        {
            var cmdline = File.ReadAllText($"/proc/{record.MonitorPid}/cmdline");
            return cmdline.Contains("conmon", StringComparison.Ordinal) && cmdline.Contains(record.Id, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
