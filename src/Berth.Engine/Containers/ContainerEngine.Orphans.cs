using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Removes writable layers whose container record is gone (a power cut during create, whose first record is not flushed).</summary>
    private async Task RemoveOrphanSnapshotsAsync(CancellationToken ct)
    {
        foreach (var snapshot in images.Snapshots.List())
        {
            if (!snapshot.Key.StartsWith(SnapshotKeyPrefix, StringComparison.Ordinal)) continue;
            if (store.TryGet(snapshot.Key[SnapshotKeyPrefix.Length..]) is not null) continue;
            logger.LogInformation("Removing the writable layer {Key}, whose container is gone", snapshot.Key);
            await images.Snapshots.RemoveAsync(snapshot.Key, ct).ConfigureAwait(false);
        }
    }
}
