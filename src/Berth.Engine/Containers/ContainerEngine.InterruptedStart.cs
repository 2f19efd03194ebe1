using Berth.Runtime;
using Berth.Runtime.Conmon;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Undoes a start that a crash of berthd cut short: the record was never marked running, but
    /// the bundle, a monitor and a created (or even started) runc container may exist. The start
    /// never answered its client, so it is rolled back and the container stays as recorded.
    /// </summary>
    private async Task RollBackInterruptedStartAsync(Container container)
    {
        if (!Directory.Exists(container.RunDirectory)) return;
        logger.LogInformation("Rolling back the interrupted start of container {Id}", container.Id);
        var pidFile = MonitorFiles.MonitorPidFile(container.RunDirectory);
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var monitorPid)
            && MonitorAlive(new ContainerRecord { Id = container.Id, MonitorPid = monitorPid }))
        {
            using var monitorProcess = ProcessHandle.Open(monitorPid);
            monitorProcess?.Signal(Signals.Kill);
        }
        await CleanupRuntimeAsync(container).ConfigureAwait(false);
        ClearSandbox(container.Record);
    }
}
