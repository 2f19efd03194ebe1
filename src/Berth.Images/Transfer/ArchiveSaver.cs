using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Archive.Tar;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Transfer;

/// <summary>
/// <c>docker save</c>: one tar holding the named images in the layout Docker 25 and later write,
/// an OCI image layout (<c>index.json</c>, <c>blobs/sha256/…</c>) that also carries the
/// docker-archive <c>manifest.json</c>, so every dockerd, containerd and skopeo loads it. Layers
/// are rebuilt byte for byte from their tar-split records and written once however many images
/// share them. Every entry has time 0, so saving the same images twice gives the same bytes.
/// </summary>
internal sealed class ArchiveSaver(ImageStore store)
{
    /// <summary>An image to save, with the tags to save it under.</summary>
    public sealed record Selection(ImageRecord Image, List<ImageReference> Tags);

    public async Task SaveAsync(IReadOnlyList<Selection> selections, Stream output, CancellationToken ct)
    {
        var writer = new TarStreamWriter(output);
        await WriteDirectoryAsync(writer, "blobs/", ct).ConfigureAwait(false);
        await WriteDirectoryAsync(writer, "blobs/sha256/", ct).ConfigureAwait(false);

        var written = new HashSet<Digest>();
        var manifestEntries = new List<ArchiveManifestEntry>();
        var index = new OciIndex { MediaType = MediaTypes.OciIndex };
        foreach (var (image, tags) in selections)
        {
            var layers = new List<OciDescriptor>();
            var chains = image.ChainIds;
            for (var i = 0; i < chains.Count; i++)
            {
                var layer = store.Layers.Require(chains[i]);
                layers.Add(new OciDescriptor { MediaType = MediaTypes.OciLayer, Digest = layer.DiffId.ToString(), Size = layer.TarSize });
                if (!written.Add(layer.DiffId)) continue;
                await writer.WriteHeaderAsync(BlobHeader(layer.DiffId, layer.TarSize), ct).ConfigureAwait(false);
                await using var content = writer.OpenContent();
                await store.Layers.WriteTarAsync(layer.ChainId, content, ct).ConfigureAwait(false);
            }

            var config = await store.ReadConfigAsync(image.Id, ct).ConfigureAwait(false);
            await WriteBlobAsync(writer, written, image.Id, config, ct).ConfigureAwait(false);
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new OciManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = image.Id.ToString(), Size = config.Length },
                Layers = layers,
            }, ImagesJson.Compact.OciManifest);
            var manifestDigest = Digest.Sha256(manifest);
            await WriteBlobAsync(writer, written, manifestDigest, manifest, ct).ConfigureAwait(false);

            foreach (var tag in tags.DefaultIfEmpty())
            {
                index.Manifests.Add(new OciDescriptor
                {
                    MediaType = MediaTypes.OciManifest,
                    Digest = manifestDigest.ToString(),
                    Size = manifest.Length,
                    Annotations = tag is null ? null : new Dictionary<string, string>
                    {
                        [MediaTypes.ContainerdNameAnnotation] = tag.ToString(),
                        [MediaTypes.RefNameAnnotation] = tag.Tag!,
                    },
                });
            }
            manifestEntries.Add(new ArchiveManifestEntry
            {
                Config = $"blobs/sha256/{image.Id.Hex}",
                RepoTags = tags.Count > 0 ? tags.Select(t => t.FamiliarString).ToList() : null,
                Layers = layers.Select(l => $"blobs/sha256/{Digest.Parse(l.Digest).Hex}").ToList(),
            });
        }

        await WriteFileAsync(writer, "index.json", JsonSerializer.SerializeToUtf8Bytes(index, ImagesJson.Compact.OciIndex), ct).ConfigureAwait(false);
        await WriteFileAsync(writer, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifestEntries, ImagesJson.Compact.ListArchiveManifestEntry), ct).ConfigureAwait(false);
        await WriteFileAsync(writer, "oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(), ct).ConfigureAwait(false);
        await writer.CloseAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves every name before anything is written, as dockerd does: a repository name selects
    /// all its tags, a tag selects itself, an ID selects the image with no tag.
    /// </summary>
    public List<Selection> Select(IReadOnlyList<string> names)
    {
        var selections = new List<Selection>();
        foreach (var name in names)
        {
            List<ImageReference> tags = [];
            if (ImageReference.TryParseNormalized(name, out var reference) && reference!.IsNameOnly
                && store.References.All.Keys.Select(ImageReference.Parse).Where(r => r.Name == reference.Name && r.Tag is not null).ToList() is { Count: > 0 } repositoryTags)
            {
                foreach (var group in repositoryTags.GroupBy(t => store.References.Get(t)!.Value))
                    AddSelection(selections, store.Get(group.Key) ?? throw BerthException.NotFound($"No such image: {name}"), [.. group]);
                continue;
            }
            var image = store.Find(name, out var found) ?? throw BerthException.NotFound($"No such image: {name}");
            if (found is { Tag: not null } && store.References.Get(found) == image.Id) tags.Add(found);
            AddSelection(selections, image, tags);
        }
        return selections;
    }

    private static void AddSelection(List<Selection> selections, ImageRecord image, List<ImageReference> tags)
    {
        var existing = selections.FirstOrDefault(s => s.Image.Id == image.Id);
        if (existing is null) selections.Add(new Selection(image, [.. tags.Distinct()]));
        else existing.Tags.AddRange(tags.Where(t => !existing.Tags.Contains(t)));
    }

    private static TarHeader BlobHeader(Digest digest, long size) => new()
    {
        Name = $"blobs/sha256/{digest.Hex}",
        Kind = TarEntryKind.Regular,
        Size = size,
        Mode = 0x1a4, // 0644
    };

    private static async Task WriteBlobAsync(TarStreamWriter writer, HashSet<Digest> written, Digest digest, byte[] content, CancellationToken ct)
    {
        if (!written.Add(digest)) return;
        await writer.WriteHeaderAsync(BlobHeader(digest, content.Length), ct).ConfigureAwait(false);
        await writer.WriteContentAsync(content, ct).ConfigureAwait(false);
    }

    private static async Task WriteFileAsync(TarStreamWriter writer, string name, byte[] content, CancellationToken ct)
    {
        await writer.WriteHeaderAsync(new TarHeader { Name = name, Kind = TarEntryKind.Regular, Size = content.Length, Mode = 0x1a4 }, ct).ConfigureAwait(false);
        await writer.WriteContentAsync(content, ct).ConfigureAwait(false);
    }

    private static Task WriteDirectoryAsync(TarStreamWriter writer, string name, CancellationToken ct) =>
        writer.WriteHeaderAsync(new TarHeader { Name = name, Kind = TarEntryKind.Directory, Mode = 0x1ed }, ct); // 0755
}
