using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    private static readonly string[] PruneFilters = ["label", "label!", "until"];

    /// <summary>
    /// <c>docker container prune</c>: removes every container that is not running (created or
    /// exited) and matches the filters — created before <c>until</c>, with the <c>label</c>s,
    /// without the <c>label!</c>s — and reports the IDs and the writable-layer space freed.
    /// </summary>
    public async Task<ContainersPruneResponse> PruneAsync(FilterArgs filters, DateTimeOffset now, CancellationToken ct)
    {
        filters.Validate(PruneFilters);
        var untilValues = filters.Get("until").Select(v => Timestamps.Parse(v, now)).ToList();
        DateTimeOffset? until = untilValues.Count > 0 ? untilValues.Min() : null;
        var response = new ContainersPruneResponse();
        foreach (var container in store.All.ToList())
        {
            ct.ThrowIfCancellationRequested();
            var r = container.Record;
            if (r.Creating || container.IsRunning || r.Status is ContainerStatus.Restarting or ContainerStatus.Removing) continue;
            if (until is { } u && new DateTimeOffset(r.Created) > u) continue;
            if (!filters.MatchKeyValues("label", r.Config.Labels)) continue;
            if (filters.Contains("label!") && filters.MatchKeyValues("label!", r.Config.Labels)) continue;
            long size = 0;
            try
            {
                size = await images.Snapshots.UsageAsync(SnapshotKey(container.Id), ct).ConfigureAwait(false);
                await RemoveAsync(container.Id, force: false, removeVolumes: false, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BerthException or IOException)
            {
                // As dockerd: a container that cannot be removed (or started meanwhile) is skipped.
                logger.LogWarning("Failed to prune container {Id}: {Message}", container.Id, e.Message);
                continue;
            }
            (response.ContainersDeleted ??= []).Add(container.Id);
            response.SpaceReclaimed += size;
        }
        return response;
    }
}
