using System.Text.Json;
using Berth.Images.Digests;
using Berth.Images.Storage;

namespace Berth.Images.Registry;

/// <summary>
/// Where each layer (by diff ID) has been pulled from or pushed to, compressed, laid out as
/// dockerd's <c>image/DRIVER/distribution</c>: <c>v2metadata-by-diffid/sha256/DIFFID</c> lists
/// the sources, <c>diffid-by-digest/sha256/DIGEST</c> maps a blob back to its layer. A push uses
/// it to find a layer the registry already has, or can mount from another repository, without
/// compressing it again. It is a cache: a lost or stale entry only costs an upload.
/// </summary>
internal sealed class DistributionMetadata
{
    private const int MaxSourcesPerLayer = 50;
    private readonly string _byDiffId;
    private readonly string _byDigest;
    private readonly Lock _lock = new();

    public DistributionMetadata(string root)
    {
        _byDiffId = Directories.CreatePrivate(Path.Combine(root, "v2metadata-by-diffid", "sha256"));
        _byDigest = Directories.CreatePrivate(Path.Combine(root, "diffid-by-digest", "sha256"));
    }

    /// <summary>The known sources of a layer, most recent last.</summary>
    public IReadOnlyList<DistributionSource> SourcesOf(Digest diffId)
    {
        lock (_lock) return Read(diffId);
    }

    /// <summary>Records that <paramref name="repository"/> (<c>host/path</c>) holds the layer as blob <paramref name="blob"/>.</summary>
    public void Add(Digest diffId, Digest blob, string repository)
    {
        lock (_lock)
        {
            var sources = Read(diffId).Where(s => s.SourceRepository != repository || s.Digest != blob.ToString()).ToList();
            sources.Add(new DistributionSource(blob.ToString(), repository, ""));
            if (sources.Count > MaxSourcesPerLayer) sources.RemoveRange(0, sources.Count - MaxSourcesPerLayer);
            AtomicFile.WriteAllBytes(Path.Combine(_byDiffId, diffId.Hex),
                JsonSerializer.SerializeToUtf8Bytes(sources, RegistryJson.Default.ListDistributionSource), flushToDisk: false);
            AtomicFile.WriteAllText(Path.Combine(_byDigest, blob.Hex), diffId.ToString(), flushToDisk: false);
        }
    }

    private List<DistributionSource> Read(Digest diffId)
    {
        var path = Path.Combine(_byDiffId, diffId.Hex);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), RegistryJson.Default.ListDistributionSource) ?? [];
        }
        catch (JsonException)
        {
            return []; // a damaged cache entry: the layer is simply uploaded again
        }
    }
}
