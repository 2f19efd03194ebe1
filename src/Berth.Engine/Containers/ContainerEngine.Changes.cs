using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Images.Archive;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary><c>GET /containers/{id}/changes</c>: what the container changed in its image; null (dockerd's JSON <c>null</c>) for nothing.</summary>
    public async Task<List<ContainerChange>?> ChangesAsync(string reference, CancellationToken ct)
    {
        var container = Get(reference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (store.TryGet(container.Id) is null || container.Record.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw BerthException.NotFound($"No such container: {container.Id}");
            var changes = await Task.Run(() => WritableLayerChanges(container.Id), ct).ConfigureAwait(false);
            return changes.Count == 0 ? null : changes.Select(c => new ContainerChange { Path = c.Path, Kind = (int)c.Kind }).ToList();
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>overlay2 reads its upper directory against the layers below; vfs compares the full copy with its parent's.</summary>
    private List<FilesystemChange> WritableLayerChanges(string id)
    {
        var key = SnapshotKey(id);
        var content = images.Snapshots.ContentDirectory(key);
        var parents = ParentContentDirectories(key);
        if (images.Snapshots.WhiteoutMode == WhiteoutMode.Overlay) return FilesystemChanges.OfOverlay(content, parents);
        return parents.Count == 0 ? FilesystemChanges.Between(content, EmptyDirectory()) : FilesystemChanges.Between(content, parents[0]);
    }

    /// <summary>The content directories of the snapshots below a snapshot, nearest first.</summary>
    private List<string> ParentContentDirectories(string key)
    {
        var result = new List<string>();
        for (var parent = images.Snapshots.Stat(key)?.Parent; parent is not null; parent = images.Snapshots.Stat(parent)?.Parent)
            result.Add(images.Snapshots.ContentDirectory(parent));
        return result;
    }

    private string EmptyDirectory() => Directory.CreateDirectory(Path.Combine(settings.RunRoot, ".empty")).FullName;
}
