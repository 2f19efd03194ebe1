using Berth.Api.Errors;
using Berth.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Freezes every process of a running container (the cgroup freezer, through <c>runc pause</c>).</summary>
    public async Task PauseAsync(string reference, CancellationToken ct)
    {
        var container = Get(reference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            switch (container.Record.Status)
            {
                case ContainerStatus.Paused: throw BerthException.Conflict($"Container {container.Id} is already paused");
                case ContainerStatus.Restarting: throw BerthException.Conflict($"Container {container.Id} is restarting, wait until the container is running");
                case not ContainerStatus.Running: throw BerthException.Conflict($"Container {container.Id} is not running");
            }
            try
            {
                await monitor.Runc.PauseAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RuntimeException e)
            {
                throw BerthException.System($"Cannot pause container {container.Id}: {e.Message}", e);
            }
            container.Record.Status = ContainerStatus.Paused;
            store.Save(container, durable: true);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>Thaws a paused container; dockerd answers 500 (not 409) when it is not paused.</summary>
    public async Task UnpauseAsync(string reference, CancellationToken ct)
    {
        var container = Get(reference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (container.Record.Status != ContainerStatus.Paused) throw BerthException.System($"Container {container.Id} is not paused");
            try
            {
                await monitor.Runc.ResumeAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (RuntimeException e)
            {
                throw BerthException.System($"Cannot unpause container {container.Id}: {e.Message}", e);
            }
            container.Record.Status = ContainerStatus.Running;
            store.Save(container, durable: true);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>After a restart, the freezer says whether a live container is paused (a crash may have come between pause and its record).</summary>
    private void SettleFreezerState(Container container)
    {
        var status = CgroupOf(container.Record).IsFrozen() ? ContainerStatus.Paused : ContainerStatus.Running;
        if (container.Record.Status == status) return;
        container.Record.Status = status;
        store.Save(container);
    }
}
