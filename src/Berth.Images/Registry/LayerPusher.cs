using Berth.Api.Wire;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>
/// Puts one layer into a repository, cheapest way first: a blob the repository is known to hold
/// ("Layer already exists"), a mount of the blob from another repository of the same registry
/// ("Mounted from …"), else an upload of the layer's tar gzipped on the fly ("Pushing", "Pushed").
/// What it learns goes into <see cref="DistributionMetadata"/> for the next push.
/// </summary>
internal sealed class LayerPusher(LayerStore layers, RegistryClient client, DistributionMetadata sources)
{
    public async Task<PushedBlob> PushAsync(RegistryRepository repository, ImageReference target, LayerRecord layer, JsonMessageWriter output, CancellationToken ct)
    {
        var id = ShortId(layer.DiffId);
        // Blobs of this layer known on the target's registry, newest first.
        var known = sources.SourcesOf(layer.DiffId)
            .Select(s => (Blob: Digest.TryParse(s.Digest, out var d) ? d : (Digest?)null, Repository: SplitRepository(s.SourceRepository)))
            .Where(s => s.Blob is not null && s.Repository.Host == target.Domain)
            .Select(s => (Blob: s.Blob!.Value, s.Repository.Path))
            .Reverse()
            .ToList();

        foreach (var (blob, _) in known.Where(s => s.Path == target.Path))
        {
            if (await client.StatBlobAsync(repository, blob, ct).ConfigureAwait(false) is not { } size) continue;
            await output.StatusAsync("Layer already exists", id, ct).ConfigureAwait(false);
            return new PushedBlob(blob, size);
        }

        Uri? upload = null;
        if (known.Where(s => s.Path != target.Path).Select(s => ((Digest Blob, string Path)?)s).FirstOrDefault() is { } other)
        {
            var (mounted, session) = await client.MountBlobAsync(repository, other.Blob, other.Path, ct).ConfigureAwait(false);
            if (mounted && await client.StatBlobAsync(repository, other.Blob, ct).ConfigureAwait(false) is { } size)
            {
                sources.Add(layer.DiffId, other.Blob, target.Name);
                await output.StatusAsync($"Mounted from {other.Path}", id, ct).ConfigureAwait(false);
                return new PushedBlob(other.Blob, size);
            }
            upload = session; // the registry would not mount it and opened an upload instead
        }
        return await UploadAsync(repository, target, layer, upload, output, ct).ConfigureAwait(false);
    }

    /// <summary>Sends the layer gzipped, in one streamed PATCH, into <paramref name="upload"/> or a new upload session.</summary>
    private async Task<PushedBlob> UploadAsync(RegistryRepository repository, ImageReference target, LayerRecord layer, Uri? upload,
        JsonMessageWriter output, CancellationToken ct)
    {
        var id = ShortId(layer.DiffId);
        upload ??= await client.StartUploadAsync(repository, ct).ConfigureAwait(false);
        using var content = new LayerBlobContent(layers, layer, current => output.ProgressAsync("Pushing", id, current, layer.Size, ct));
        var next = await client.PatchUploadAsync(upload, content, ct).ConfigureAwait(false);
        var digest = content.Digest ?? throw new InvalidOperationException("the layer was not sent");
        await client.CompleteUploadAsync(next, digest, [], ct).ConfigureAwait(false);
        sources.Add(layer.DiffId, digest, target.Name);
        await output.StatusAsync("Pushed", id, ct).ConfigureAwait(false);
        return new PushedBlob(digest, content.CompressedSize);
    }

    /// <summary>dockerd names a layer in push progress by its diff ID, shortened.</summary>
    public static string ShortId(Digest diffId) => diffId.Hex[..12];

    private static (string Host, string Path) SplitRepository(string repository)
    {
        var slash = repository.IndexOf('/');
        return slash < 0 ? ("", repository) : (repository[..slash], repository[(slash + 1)..]);
    }
}
