using Berth.Api.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Stops a container as dockerd does: its stop signal, then SIGKILL after the timeout
    /// (<c>-1</c> waits forever). False (dockerd's 304) when it was not running.
    /// </summary>
    public async Task<bool> StopAsync(string reference, string? signal, int? timeoutSeconds, CancellationToken ct)
    {
        var container = Get(reference);
        var record = container.Record;
        var number = Signals.Parse(signal is { Length: > 0 } ? signal : record.Config.StopSignal is { Length: > 0 } s ? s : "SIGTERM");
        var timeout = timeoutSeconds ?? record.Config.StopTimeout ?? 10;
        Task<int> exited;
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            record.ManuallyStopped = true;
            container.RestartCanceled = true;
            if (record.Status == ContainerStatus.Restarting)
            {
                record.Status = ContainerStatus.Exited;
                store.Save(container, durable: true);
                return true;
            }
            store.Save(container, durable: true);
            if (!container.IsRunning) return false;
            exited = container.NextExit;
            await SignalLockedAsync(container, number).ConfigureAwait(false);
        }
        finally
        {
            container.Lock.Release();
        }
        if (timeout < 0)
        {
            await exited.WaitAsync(ct).ConfigureAwait(false);
            return true;
        }
        if (await Completes(exited, TimeSpan.FromSeconds(timeout), ct).ConfigureAwait(false)) return true;
        await KillAndWaitAsync(container, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sends a signal to a running container; 409 when it is not running.</summary>
    public async Task KillAsync(string reference, string? signal, CancellationToken ct)
    {
        var container = Get(reference);
        var number = Signals.Parse(signal is { Length: > 0 } ? signal : "SIGKILL");
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!container.IsRunning) throw BerthException.Conflict($"Container {container.Id} is not running");
            // As dockerd: a kill counts as a stop by the user (for unless-stopped), and the restart
            // policy does not undo it when it is SIGKILL or the stop signal (any signal when none is set).
            var stopSignal = container.Record.Config.StopSignal;
            if (number == Signals.Kill || string.IsNullOrEmpty(stopSignal) || Signals.Parse(stopSignal) == number) container.RestartCanceled = true;
            container.Record.ManuallyStopped = true;
            store.Save(container);
            await SignalLockedAsync(container, number).ConfigureAwait(false);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>Restarts: stops (if running) then starts.</summary>
    public async Task RestartAsync(string reference, string? signal, int? timeoutSeconds, CancellationToken ct)
    {
        var container = Get(reference);
        await StopAsync(container.Id, signal, timeoutSeconds, ct).ConfigureAwait(false);
        await StartAsync(container.Id, ct).ConfigureAwait(false);
    }

    private async Task SignalLockedAsync(Container container, int signal)
    {
        var paused = container.Record.Status == ContainerStatus.Paused;
        await SendSignalAsync(container, signal, all: false).ConfigureAwait(false);
        // A frozen process cannot act on the signal; as dockerd, thaw it for SIGKILL and for the
        // container's stop signal, and leave it frozen for any other signal.
        if (paused && (signal == Signals.Kill || signal == StopSignalOf(container.Record)))
            await ThawLockedAsync(container).ConfigureAwait(false);
    }

    private static int StopSignalOf(ContainerRecord record) =>
        Signals.Parse(record.Config.StopSignal is { Length: > 0 } s ? s : "SIGTERM");

    /// <summary>Thaws a paused container that is ending, when its cgroup is still frozen (a `runc kill` may have thawed it already).</summary>
    private async Task ThawLockedAsync(Container container)
    {
        if (CgroupOf(container.Record).IsFrozen())
            await monitor.Runc.ResumeAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
        container.Record.Status = ContainerStatus.Running;
        store.Save(container);
    }

    /// <summary>SIGKILLs every process of the container and waits for its monitor to report the end.</summary>
    private async Task KillAndWaitAsync(Container container, CancellationToken ct)
    {
        Task<int> exited;
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!container.IsRunning) return;
            exited = container.NextExit;
            await SendSignalAsync(container, Signals.Kill, all: true).ConfigureAwait(false);
            if (container.Record.Status == ContainerStatus.Paused) await ThawLockedAsync(container).ConfigureAwait(false);
        }
        finally
        {
            container.Lock.Release();
        }
        await exited.WaitAsync(ct).ConfigureAwait(false);
    }

    private static async Task<bool> Completes(Task task, TimeSpan timeout, CancellationToken ct)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return finished == task;
    }
}
