using System.Text.Json;
using Berth.Api;
using Berth.Images.Archive;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Transfer;

/// <summary>
/// Finds the images in an unpacked archive: a docker-archive (<c>manifest.json</c>, as written by
/// every dockerd, skopeo and Berth) or else an OCI image layout (<c>index.json</c>).
/// </summary>
internal static class ArchiveReader
{
    public static IReadOnlyList<ArchivedImage> Read(string root)
    {
        if (File.Exists(Path.Combine(root, "manifest.json"))) return ReadDockerArchive(root);
        if (File.Exists(Path.Combine(root, "index.json"))) return ReadOciLayout(root);
        throw new LayerFormatException("invalid archive: it has neither manifest.json (docker-archive) nor index.json (OCI layout)");
    }

    private static IReadOnlyList<ArchivedImage> ReadDockerArchive(string root)
    {
        List<ArchiveManifestEntry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(root, "manifest.json")), ImagesJson.Default.ListArchiveManifestEntry);
        }
        catch (JsonException e)
        {
            throw new LayerFormatException($"invalid manifest.json: {e.Message}");
        }
        return (entries ?? []).Select(entry =>
        {
            var tags = (entry.RepoTags ?? []).Select(tag =>
            {
                if (!ImageReference.TryParseNormalized(tag, out var reference) || reference!.Tag is null)
                    throw new LayerFormatException($"invalid tag \"{tag}\"");
                return reference;
            }).ToList();
            return new ArchivedImage(entry.Config, null, entry.Layers.Select(l => new ArchivedLayer(l, null)).ToList(), tags);
        }).ToList();
    }

    private static IReadOnlyList<ArchivedImage> ReadOciLayout(string root)
    {
        var index = ReadJson(root, "index.json", ImagesJson.Default.OciIndex);
        var byManifest = new Dictionary<string, (OciManifest Manifest, List<ImageReference> Tags)>();
        foreach (var descriptor in index.Manifests)
        {
            var manifestDescriptor = ResolvePlatform(root, descriptor);
            var manifest = ReadJson(root, BlobPath(manifestDescriptor.Digest), ImagesJson.Default.OciManifest);
            if (!byManifest.TryGetValue(manifestDescriptor.Digest, out var entry))
                byManifest[manifestDescriptor.Digest] = entry = (manifest, []);
            if (NameOf(descriptor) is { } name && !entry.Tags.Contains(name)) entry.Tags.Add(name);
        }
        return byManifest.Values.Select(m => new ArchivedImage(
            BlobPath(m.Manifest.Config.Digest),
            Digest.Parse(m.Manifest.Config.Digest),
            m.Manifest.Layers.Select(l => new ArchivedLayer(BlobPath(l.Digest), Digest.Parse(l.Digest))).ToList(),
            m.Tags)).ToList();
    }

    /// <summary>For an index (multi-platform image), the manifest for this host; otherwise the descriptor itself.</summary>
    private static OciDescriptor ResolvePlatform(string root, OciDescriptor descriptor)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            if (descriptor.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList)) return descriptor;
            var nested = ReadJson(root, BlobPath(descriptor.Digest), ImagesJson.Default.OciIndex);
            descriptor = nested.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == HostPlatform.Os && p.Architecture == HostPlatform.Architecture)
                         ?? throw new LayerFormatException($"image index {descriptor.Digest} has no manifest for {HostPlatform.Os}/{HostPlatform.Architecture}");
        }
        throw new LayerFormatException("image indexes are nested too deeply");
    }

    private static ImageReference? NameOf(OciDescriptor descriptor)
    {
        var annotations = descriptor.Annotations;
        if (annotations is null) return null;
        foreach (var key in new[] { MediaTypes.ContainerdNameAnnotation, MediaTypes.RefNameAnnotation })
        {
            // A bare tag such as "latest" names no repository, so it cannot become a reference.
            if (annotations.TryGetValue(key, out var value) && ImageReference.TryParseNormalized(value, out var reference)
                && reference!.Tag is not null && (value.Contains('/') || value.Contains(':')))
                return reference;
        }
        return null;
    }

    private static string BlobPath(string digest)
    {
        var d = Digest.Parse(digest);
        return $"blobs/{d.Algorithm}/{d.Hex}";
    }

    private static T ReadJson<T>(string root, string relative, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var path = RootedPath.Resolve(root, relative, followLast: true);
        if (!File.Exists(path)) throw new LayerFormatException($"invalid archive: {relative} is missing");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw new LayerFormatException($"invalid archive: {relative} is null");
        }
        catch (JsonException e)
        {
            throw new LayerFormatException($"invalid archive: {relative}: {e.Message}");
        }
    }
}
