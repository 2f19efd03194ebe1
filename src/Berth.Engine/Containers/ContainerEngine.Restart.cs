using Berth.Api.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>What happens after a run ends: removal for <c>--rm</c>, or a restart the policy asks for, after dockerd's back-off.</summary>
    private async Task AfterExitAsync(Container container)
    {
        var record = container.Record;
        if (record.HostConfig.AutoRemove)
        {
            await RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        if (!ShouldRestart(record, container.RestartCanceled)) return;
        var ranFor = record.FinishedAt - record.StartedAt;
        var delay = ranFor > TimeSpan.FromSeconds(10) ? TimeSpan.FromMilliseconds(100) : RestartDelay(record.RestartCount);
        await container.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (record.Status != ContainerStatus.Exited || container.RestartCanceled) return;
            record.Status = ContainerStatus.Restarting;
            record.RestartCount++;
            store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
        await Task.Delay(delay).ConfigureAwait(false);
        await container.Lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (record.Status != ContainerStatus.Restarting || store.TryGet(container.Id) is null) return;
            if (container.RestartCanceled)
            {
                record.Status = ContainerStatus.Exited;
                store.Save(container);
                return;
            }
            await StartLockedAsync(container, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            logger.LogError("Restarting container {Id} failed: {Message}", container.Id, e.Message);
            record.Status = ContainerStatus.Exited;
            store.Save(container);
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>dockerd's restart manager: a back-off that doubles from 100 ms up to a minute.</summary>
    private static TimeSpan RestartDelay(int restarts) =>
        TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, Math.Min(restarts, 20)), 60_000));

    /// <summary>
    /// dockerd's restart manager: nothing once the user stopped this run (<paramref name="canceled"/>);
    /// else <c>always</c> restarts, <c>unless-stopped</c> unless the user stopped it, <c>on-failure</c>
    /// after a non-zero exit while retries are left.
    /// </summary>
    internal static bool ShouldRestart(ContainerRecord record, bool canceled)
    {
        if (canceled) return false;
        var policy = record.HostConfig.RestartPolicy;
        return policy.Name switch
        {
            "always" => true,
            "unless-stopped" => !record.ManuallyStopped,
            "on-failure" => record.ExitCode != 0 && (policy.MaximumRetryCount == 0 || record.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
    }
}
