using System.Collections.Immutable;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Snapshots;
using Berth.Images.Storage;

namespace Berth.Images.Store;

/// <summary>
/// Images of one storage driver: configurations stored by digest (the image ID) exactly as
/// received, local metadata, references, and the layers beneath them. A new image is visible
/// once its configuration file is in place; removing one deletes the layers no other image uses.
/// </summary>
public sealed class ImageStore
{
    private readonly string _contentDir;
    private readonly string _metadataDir;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ImmutableDictionary<Digest, ImageRecord> _images;
    private (ImmutableDictionary<Digest, ImageRecord> Images, ILookup<Digest, ImageRecord> Children)? _children;

    private ImageStore(string root, LayerStore layers, ReferenceStore references, ImmutableDictionary<Digest, ImageRecord> images)
    {
        Root = root;
        _contentDir = Path.Combine(root, "imagedb", "content", "sha256");
        _metadataDir = Path.Combine(root, "imagedb", "metadata", "sha256");
        Layers = layers;
        References = references;
        _images = images;
    }

    /// <summary>The driver's image directory, e.g. <c>/var/lib/berth/image/overlay2</c>.</summary>
    public string Root { get; }

    public LayerStore Layers { get; }
    public ReferenceStore References { get; }
    public ISnapshotter Snapshots => Layers.Snapshots;

    /// <param name="root">The driver's image directory, e.g. <c>/var/lib/berth/image/overlay2</c>.</param>
    public static async Task<ImageStore> OpenAsync(string root, ISnapshotter snapshots, CancellationToken ct)
    {
        var contentDir = Directories.CreatePrivate(Path.Combine(root, "imagedb", "content", "sha256"));
        var metadataDir = Directories.CreatePrivate(Path.Combine(root, "imagedb", "metadata", "sha256"));
        var layers = await LayerStore.OpenAsync(Path.Combine(root, "layerdb"), snapshots, ct).ConfigureAwait(false);
        var references = new ReferenceStore(Path.Combine(root, "references.json"));
        var images = ImmutableDictionary.CreateBuilder<Digest, ImageRecord>();
        foreach (var file in Directory.EnumerateFiles(contentDir))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.')) { File.Delete(file); continue; } // an interrupted atomic write
            var bytes = await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
            var id = Digest.Sha256(bytes);
            if (id.Hex != name) continue; // corrupt content never becomes an image
            var config = ParseConfig(bytes);
            var metaFile = Path.Combine(metadataDir, name + ".json");
            var metadata = File.Exists(metaFile)
                ? JsonSerializer.Deserialize(await File.ReadAllBytesAsync(metaFile, ct).ConfigureAwait(false), ImagesJson.Default.ImageMetadataRecord) ?? new()
                : new ImageMetadataRecord();
            var record = new ImageRecord(id, config, metadata);
            if (record.TopLayer is { } top && layers.Get(top) is null) continue; // layers lost: not a usable image
            images[id] = record;
        }
        // Layers registered for an image whose configuration never landed (a crash mid-load) go now.
        await layers.DeleteUnreferencedAsync(images.Values.Select(i => i.TopLayer).OfType<Digest>(), ct).ConfigureAwait(false);
        return new ImageStore(root, layers, references, images.ToImmutable());
    }

    public static ImageConfigDocument ParseConfig(ReadOnlySpan<byte> bytes)
    {
        ImageConfigDocument? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, ImagesJson.Default.ImageConfigDocument);
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"invalid image configuration: {e.Message}");
        }
        if (config is null) throw BerthException.InvalidParameter("invalid image configuration: null");
        if (config.RootFs.Type != "layers") throw BerthException.InvalidParameter($"invalid image configuration: rootfs type \"{config.RootFs.Type}\" is not \"layers\"");
        foreach (var diffId in config.RootFs.DiffIds)
            if (!Digest.TryParse(diffId, out _)) throw BerthException.InvalidParameter($"invalid image configuration: bad diff ID {diffId}");
        return config;
    }

    public IReadOnlyCollection<ImageRecord> All => _images.Values.ToList();

    public ImageRecord? Get(Digest id) => _images.GetValueOrDefault(id);

    public Task<byte[]> ReadConfigAsync(Digest id, CancellationToken ct) =>
        File.ReadAllBytesAsync(Path.Combine(_contentDir, id.Hex), ct);

    /// <summary>Images whose parent is <paramref name="id"/> (built or committed on it).</summary>
    public IReadOnlyList<ImageRecord> Children(Digest id)
    {
        // Built once per image set (list calls ask for every image's children), tied to the set it was built from.
        var images = _images;
        if (_children is not { } cached || !ReferenceEquals(cached.Images, images))
            _children = cached = (images, images.Values.Where(i => i.Parent is not null).ToLookup(i => i.Parent!.Value));
        return [.. cached.Children[id]];
    }

    /// <summary>Bytes on disk of an image: the sizes of all its layers.</summary>
    public long Size(ImageRecord image) => image.ChainIds.Sum(chain => Layers.Get(chain)?.Size ?? 0);

    /// <summary>
    /// Finds an image as dockerd does: a full ID, a tag or digest reference (<c>:latest</c> by
    /// default), then an ID prefix. Returns null when nothing matches; an invalid reference is refused.
    /// </summary>
    public ImageRecord? Find(string nameOrId, out ImageReference? reference)
    {
        reference = null;
        var hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId["sha256:".Length..] : nameOrId;
        if (hex.Length == 64 && Digest.IsLowerHex(hex)) return Get(Digest.FromSha256Hex(hex));
        if (!nameOrId.StartsWith("sha256:", StringComparison.Ordinal))
        {
            reference = ImageReference.ParseNormalized(nameOrId).WithDefaultTag();
            if (References.Get(reference) is { } id && Get(id) is { } tagged) return tagged;
        }
        if (hex.Length == 0 || !Digest.IsLowerHex(hex)) return null;
        var matches = _images.Keys.Where(k => k.Hex.StartsWith(hex, StringComparison.Ordinal)).Take(2).ToList();
        if (matches.Count > 1) throw BerthException.InvalidParameter($"ambiguous image ID prefix: {nameOrId}");
        if (matches.Count == 1)
        {
            reference = null;
            return _images[matches[0]];
        }
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but a miss is dockerd's "No such image" error.</summary>
    public ImageRecord Resolve(string nameOrId)
    {
        var image = Find(nameOrId, out var reference);
        if (image is not null) return image;
        throw BerthException.NotFound($"No such image: {reference?.FamiliarString ?? nameOrId}");
    }

    /// <summary>
    /// Stores an image configuration whose layers are all registered. Returns the image
    /// (the existing one when the same configuration is stored already).
    /// </summary>
    public async Task<ImageRecord> CreateAsync(byte[] configBytes, Digest? parent, CancellationToken ct)
    {
        var config = ParseConfig(configBytes);
        var id = Digest.Sha256(configBytes);
        foreach (var chain in ChainId.OfStack(config.RootFs.DiffIds.Select(Digest.Parse)))
            if (Layers.Get(chain) is null) throw BerthException.System($"layer {chain} of image {id} is not registered");
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Get(id) is { } existing) return existing;
            var metadata = new ImageMetadataRecord { Parent = parent?.ToString() };
            if (parent is not null)
                AtomicFile.WriteAllBytes(MetadataFile(id), JsonSerializer.SerializeToUtf8Bytes(metadata, ImagesJson.Default.ImageMetadataRecord));
            AtomicFile.WriteAllBytes(Path.Combine(_contentDir, id.Hex), configBytes);
            var record = new ImageRecord(id, config, metadata);
            _images = _images.SetItem(id, record);
            return record;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Records that the image was just tagged (shown as Metadata.LastTagTime).</summary>
    public async Task TouchTagTimeAsync(Digest id, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Get(id) is not { } image) return;
            var metadata = new ImageMetadataRecord { Parent = image.Metadata.Parent, LastTagTime = DateTimeOffset.UtcNow };
            AtomicFile.WriteAllBytes(MetadataFile(id), JsonSerializer.SerializeToUtf8Bytes(metadata, ImagesJson.Default.ImageMetadataRecord));
            _images = _images.SetItem(id, image with { Metadata = metadata });
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Deletes an image (its references must be gone already) and every layer no remaining image
    /// uses; returns the chain IDs of the layers deleted.
    /// </summary>
    public async Task<IReadOnlyList<Digest>> DeleteAsync(Digest id, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Get(id) is null) return [];
            File.Delete(Path.Combine(_contentDir, id.Hex));
            File.Delete(MetadataFile(id));
            _images = _images.Remove(id);
            var keep = _images.Values.Select(i => i.TopLayer).OfType<Digest>();
            return await Layers.DeleteUnreferencedAsync(keep, ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private string MetadataFile(Digest id) => Path.Combine(_metadataDir, id.Hex + ".json");
}
