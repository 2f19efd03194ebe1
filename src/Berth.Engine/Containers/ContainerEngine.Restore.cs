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
            if (record.Status is ContainerStatus.Running or ContainerStatus.Paused)
            {
                if (MonitorAlive(record))
                {
                    var monitorPid = record.MonitorPid;
                    SettleFreezerState(container);
                    exits.Watch(monitorPid, () => _ = OnMonitorExitAsync(container, monitorPid));
                    continue;
                }
                await SettleExitLockedAsync(container).ConfigureAwait(false);
                if (ShouldRestart(record)) toRestart.Add(container);
                continue;
            }
            if (record.Status == ContainerStatus.Restarting)
            {
                record.Status = ContainerStatus.Exited;
                store.Save(container);
                if (ShouldRestart(record)) toRestart.Add(container);
            }
        }
        foreach (var container in toRestart)
        {
            try
            {
                await container.Lock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
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
