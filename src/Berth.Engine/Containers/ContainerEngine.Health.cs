using System.Text;
using Berth.Api.Wire.Containers;
using Berth.Engine.Health;
using Berth.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Starts probing a container that has a health check; called with its lock held once it runs.</summary>
    private void StartHealthMonitor(Container container)
    {
        StopHealthMonitor(container);
        var plan = HealthCheckPlan.For(container.Record.Config.Healthcheck, container.Record.Config.Shell);
        if (plan is null) return;
        lock (container.Record) container.Record.Health = HealthRecorder.Started(container.Record.Health);
        var stop = new CancellationTokenSource();
        container.HealthMonitor = stop;
        _ = Task.Run(() => MonitorHealthAsync(container, plan, stop.Token), CancellationToken.None);
    }

    /// <summary>Stops probing; called with the lock held when the container's run ends.</summary>
    private static void StopHealthMonitor(Container container)
    {
        container.HealthMonitor?.Cancel();
        container.HealthMonitor = null;
    }

    private async Task MonitorHealthAsync(Container container, HealthCheckPlan plan, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        try
        {
            while (true)
            {
                await Task.Delay(plan.DelayBeforeProbe(DateTime.UtcNow - started, container.Record.Health?.Status ?? ""), ct).ConfigureAwait(false);
                if (container.Record.Status != ContainerStatus.Running) continue;
                ProbeResult result;
                try
                {
                    result = await ProbeAsync(container, plan).ConfigureAwait(false);
                }
                catch (Api.Errors.BerthException)
                {
                    continue; // Paused or stopping meanwhile.
                }
                if (ct.IsCancellationRequested) return;
                lock (container.Record)
                {
                    if (container.Record.Health is not { } health) return;
                    HealthRecorder.Record(health, result, DateTime.UtcNow - started < plan.StartPeriod, plan.Retries);
                }
                store.Save(container);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Health checks of container {Id} stopped: {Message}", container.Id, e.Message);
        }
    }

    /// <summary>Runs the probe as an exec session (so it shows in ExecIDs, as in dockerd), killing it at the timeout.</summary>
    private async Task<ProbeResult> ProbeAsync(Container container, HealthCheckPlan plan)
    {
        var start = DateTimeOffset.UtcNow;
        var id = CreateExec(container.Id, new ExecCreateRequest { AttachStdout = true, AttachStderr = true, Cmd = [.. plan.Command] });
        var session = GetExec(id);
        var output = new BoundedBuffer(HealthRecorder.MaxOutputBytes);
        try
        {
            // Raw: the probe's stdout and stderr together, as dockerd keeps them.
            var run = StartExecAsync(session, null, new Streams.MultiplexedWriter(output, raw: true), CancellationToken.None);
            if (await Task.WhenAny(run, Task.Delay(plan.Timeout)).ConfigureAwait(false) != run)
            {
                using (var process = ProcessHandle.Open(session.Pid)) process?.Signal(Signals.Kill);
                await run.ConfigureAwait(false);
                return new ProbeResult(start, DateTimeOffset.UtcNow, -1, $"Health check exceeded timeout ({HealthRecorder.GoDuration(plan.Timeout)})");
            }
            await run.ConfigureAwait(false);
            return new ProbeResult(start, DateTimeOffset.UtcNow, session.ExitCode ?? -1, Encoding.UTF8.GetString(output.ToArray()));
        }
        finally
        {
            execs.TryRemove(id, out _);
        }
    }
}
