using System.IO.Pipelines;
using System.Text.Json;
using Berth.Api;
using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Service;

/// <summary>
/// <c>POST /commit</c>, the image half: the container's writable layer becomes a layer on top of
/// its base image, and the new image's configuration is the base's with the container's
/// configuration, a history entry for the container's command, and the base as parent
/// (dockerd's <c>NewChildImage</c>).
/// </summary>
internal sealed class ImageCommitter(ImageStore store, string engineVersion)
{
    public async Task<Digest> CommitAsync(ImageCommitRequest request, CancellationToken ct)
    {
        var reference = TargetReference(request.Repository, request.Tag);
        var baseImage = request.BaseImageId is null ? null
            : store.Get(Digest.Parse(request.BaseImageId)) ?? throw BerthException.NotFound($"No such image: {request.BaseImageId}");
        var layer = request.WriteLayer is null ? null : await RegisterLayerAsync(request.WriteLayer, baseImage?.TopLayer, ct).ConfigureAwait(false);

        var created = GoTime.Format(DateTimeOffset.UtcNow);
        var author = string.IsNullOrEmpty(request.Author) ? null : request.Author;
        var history = new List<HistoryEntry>(baseImage?.Config.History ?? [])
        {
            new()
            {
                Created = created,
                Author = author,
                CreatedBy = string.Join(' ', request.ContainerConfig.Cmd ?? []),
                Comment = string.IsNullOrEmpty(request.Comment) ? null : request.Comment,
                EmptyLayer = layer is null,
            },
        };
        var document = new ImageConfigDocument
        {
            Architecture = baseImage?.Config.Architecture ?? HostPlatform.Architecture,
            Variant = baseImage?.Config.Variant,
            Author = author,
            Config = request.Config,
            Container = string.IsNullOrEmpty(request.ContainerId) ? null : request.ContainerId,
            ContainerConfig = request.ContainerConfig,
            Created = created,
            DockerVersion = engineVersion,
            History = history,
            Os = baseImage?.Config.Os ?? HostPlatform.Os,
            OsVersion = baseImage?.Config.OsVersion,
            RootFs = new RootFsDocument { DiffIds = [.. baseImage?.Config.RootFs.DiffIds ?? [], .. layer is null ? Array.Empty<string>() : [layer.DiffId.ToString()]] },
        };
        var image = await store.CreateAsync(JsonSerializer.SerializeToUtf8Bytes(document, ImagesJson.Compact.ImageConfigDocument), baseImage?.Id, ct).ConfigureAwait(false);
        if (reference is not null)
        {
            store.References.Set(reference, image.Id);
            await store.TouchTagTimeAsync(image.Id, ct).ConfigureAwait(false);
        }
        return image.Id;
    }

    /// <summary>Streams the layer tar from its writer into the layer store, which unpacks it as it arrives.</summary>
    private async Task<LayerRecord> RegisterLayerAsync(Func<Stream, CancellationToken, Task> writeLayer, Digest? parent, CancellationToken ct)
    {
        var pipe = new Pipe();
        var producer = Task.Run(async () =>
        {
            try
            {
                await using (var output = pipe.Writer.AsStream(leaveOpen: true))
                    await writeLayer(output, ct).ConfigureAwait(false);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, ct);
        try
        {
            await using var input = pipe.Reader.AsStream();
            return await store.Layers.RegisterAsync(input, parent, expectedDiffId: null, ct).ConfigureAwait(false);
        }
        catch (LayerFormatException e)
        {
            throw BerthException.System(e.Message, e);
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    /// <summary>dockerd's rules: a repository without tag or digest, tagged <c>latest</c> unless a tag is given.</summary>
    private static ImageReference? TargetReference(string? repository, string? tag)
    {
        if (string.IsNullOrEmpty(repository)) return null;
        var reference = ImageReference.ParseNormalized(repository);
        if (!reference.IsNameOnly) throw BerthException.InvalidParameter($"unexpected repository name: {repository}");
        return string.IsNullOrEmpty(tag) ? reference.WithDefaultTag() : reference.WithTag(tag);
    }
}
