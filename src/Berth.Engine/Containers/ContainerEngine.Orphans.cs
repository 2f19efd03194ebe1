using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Removes the layers (writable and init) of containers whose record is gone: a power cut during create, whose first record is not flushed.</summary>
    private async Task RemoveOrphanSnapshotsAsync(CancellationToken ct)
    {
        const int IdLength = 64;
        var orphans = images.Snapshots.List()
            .Where(s => s.Key.StartsWith(SnapshotKeyPrefix, StringComparison.Ordinal) && s.Key.Length >= SnapshotKeyPrefix.Length + IdLength)
            .Select(s => s.Key.Substring(SnapshotKeyPrefix.Length, IdLength))
            .Where(id => store.TryGet(id) is null)
            .ToHashSet();
        foreach (var id in orphans)
        {
            logger.LogInformation("Removing the layers of container {Id}, whose record is gone", id);
            await RemoveRootAsync(id, ct).ConfigureAwait(false);
        }
    }
}
