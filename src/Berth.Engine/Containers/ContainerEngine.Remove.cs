using Berth.Api.Errors;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

/// <summary>What <c>POST /containers/{id}/wait</c> waits for.</summary>
public enum WaitCondition
{
    NotRunning,
    NextExit,
    Removed,
}

public sealed partial class ContainerEngine
{
    /// <summary>Removes a container; a running one only with <paramref name="force"/> (killed first), else dockerd's 409.</summary>
    public async Task RemoveAsync(string reference, bool force, bool removeVolumes, CancellationToken ct)
    {
        var container = Get(reference);
        if (container.IsRunning || container.Record.Status == ContainerStatus.Restarting)
        {
            if (!force)
            {
                var state = container.Record.Status == ContainerStatus.Paused ? "paused" : container.Record.Status == ContainerStatus.Restarting ? "restarting" : "running";
                throw BerthException.Conflict(state == "paused"
                    ? $"You cannot remove a paused container {container.Id}. Unpause and then stop the container before attempting removal or force remove"
                    : $"You cannot remove a {state} container {container.Id}. Stop the container before attempting removal or force remove");
            }
            container.Record.ManuallyStopped = true;
            container.RestartCanceled = true;
            if (container.Record.Status == ContainerStatus.Restarting)
            {
                await container.Lock.WaitAsync(ct).ConfigureAwait(false);
                container.Record.Status = ContainerStatus.Exited;
                container.Lock.Release();
            }
            await KillAndWaitAsync(container, ct).ConfigureAwait(false);
        }

        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (store.TryGet(container.Id) is null) return;
            if (container.Record.Status == ContainerStatus.Removing)
                throw BerthException.Conflict($"removal of container {container.Id} is already in progress");
            if (container.IsRunning) throw BerthException.Conflict($"You cannot remove a running container {container.Id}. Stop the container before attempting removal or force remove");
            container.Record.Status = ContainerStatus.Removing;
            store.Save(container);
            await CleanupRuntimeAsync(container).ConfigureAwait(false);
            await DiscardAsync(container, ct).ConfigureAwait(false);
            // As dockerd: rm -v (and --rm) takes the container's anonymous volumes with it; named ones stay.
            if (removeVolumes) volumes.RemoveAnonymous(container.Record.MountPoints.Where(p => p.Anonymous).Select(p => p.Name));
        }
        finally
        {
            container.Lock.Release();
        }
        ForgetExecs(container);
        container.SignalRemoved();
    }

    /// <summary>Waits as <c>docker wait</c> does and answers with the exit code.</summary>
    public async Task<ContainerWaitResponse> WaitAsync(string reference, WaitCondition condition, CancellationToken ct)
    {
        var container = Get(reference);
        Task<int> exit;
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            exit = container.NextExit;
            if (condition == WaitCondition.NotRunning && !container.IsRunning && container.Record.Status != ContainerStatus.Restarting)
                return new ContainerWaitResponse { StatusCode = container.Record.ExitCode };
        }
        finally
        {
            container.Lock.Release();
        }
        if (condition == WaitCondition.Removed)
        {
            var code = await container.Removed.WaitAsync(ct).ConfigureAwait(false);
            return new ContainerWaitResponse { StatusCode = code };
        }
        return new ContainerWaitResponse { StatusCode = await exit.WaitAsync(ct).ConfigureAwait(false) };
    }

    public static WaitCondition ParseWaitCondition(string? text) => text switch
    {
        null or "" or "not-running" => WaitCondition.NotRunning,
        "next-exit" => WaitCondition.NextExit,
        "removed" => WaitCondition.Removed,
        _ => throw BerthException.InvalidParameter($"invalid condition: \"{text}\""),
    };
}
