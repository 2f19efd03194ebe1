using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Api.Wire;
using Berth.Dockerfile;
using Berth.Images.Archive;
using Berth.Images.Service;
using Berth.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// <c>POST /commit</c>, the container half: the new configuration (the container's, or the
    /// body's, with the changes applied and the container's filling the gaps, as dockerd's
    /// <c>merge</c>), then, with the container locked and a running one frozen, its writable
    /// layer handed to <paramref name="imageService"/>, which builds the image. Returns the image ID.
    /// </summary>
    public async Task<string> CommitAsync(CommitOptions options, ImageService imageService, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(options.Container)) throw BerthException.InvalidParameter("invalid name or ID supplied: \"\"");
        var container = Get(options.Container);
        var record = container.Record;
        if (record.Status == ContainerStatus.Dead) throw BerthException.Conflict($"You cannot commit container {container.Id} which is Dead");
        if (record.Status == ContainerStatus.Removing) throw BerthException.Conflict($"You cannot commit container {container.Id} which is being removed");

        var config = Copy(options.Config ?? record.Config);
        ConfigChanges.Apply(config, options.Changes);
        ConfigMerger.Merge(config, record.Config);

        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (store.TryGet(container.Id) is null) throw BerthException.NotFound($"No such container: {options.Container}");
            var freeze = options.Pause && record.Status == ContainerStatus.Running;
            if (freeze) await PauseQuietlyAsync(container, pause: true).ConfigureAwait(false);
            try
            {
                var id = await imageService.CommitAsync(new ImageCommitRequest
                {
                    ContainerId = container.Id,
                    BaseImageId = record.ImageId,
                    Config = config,
                    ContainerConfig = Copy(record.Config),
                    WriteLayer = WritableLayerWriter(container.Id),
                    Author = options.Author,
                    Comment = options.Comment,
                    Repository = options.Repository,
                    Tag = options.Tag,
                }, ct).ConfigureAwait(false);
                return id.ToString();
            }
            finally
            {
                if (freeze) await PauseQuietlyAsync(container, pause: false).ConfigureAwait(false);
            }
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>
    /// Writes the writable layer as a layer tar: overlay2's upper directory with its whiteouts
    /// (dockerd's native diff), or vfs's changes against the parent. Null when nothing changed,
    /// which dockerd records as an empty layer.
    /// </summary>
    private Func<Stream, CancellationToken, Task>? WritableLayerWriter(string id)
    {
        var content = images.Snapshots.ContentDirectory(SnapshotKey(id));
        var options = new TreeTarOptions { OverlayWhiteouts = images.Snapshots.WhiteoutMode == WhiteoutMode.Overlay, WholeSeconds = true };
        if (options.OverlayWhiteouts)
            return Directory.EnumerateFileSystemEntries(content).Any() ? (output, ct) => DirectoryTarWriter.WriteAsync(content, output, options, ct) : null;
        var changes = WritableLayerChanges(id);
        return changes.Count == 0 ? null : (output, ct) => DirectoryTarWriter.WriteChangesAsync(content, changes, output, options, ct);
    }

    /// <summary>As dockerd: a commit goes ahead even when the container cannot be frozen (or thawed).</summary>
    private async Task PauseQuietlyAsync(Container container, bool pause)
    {
        try
        {
            if (pause) await monitor.Runc.PauseAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
            else await monitor.Runc.ResumeAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RuntimeException e)
        {
            logger.LogWarning("runc {Operation} {Id} for commit: {Message}", pause ? "pause" : "resume", container.Id, e.Message);
        }
    }

    private static ContainerConfig Copy(ContainerConfig config) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, WireJson.Default.ContainerConfig), WireJson.Default.ContainerConfig)!;
}
