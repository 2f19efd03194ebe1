using System.Globalization;
using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Digests;
using Berth.Images.Native;
using Berth.Images.Snapshots;
using Berth.Images.Storage;

namespace Berth.Images.Layers;

/// <summary>
/// Layers by chain ID, each unpacked once into a committed snapshot and shared by every image
/// that contains it. Alongside each layer a tar-split record lets <see cref="WriteTarAsync"/>
/// rebuild the exact tar it came from. A layer becomes visible only when its metadata
/// directory is renamed into place, after its snapshot is committed; anything a crash leaves
/// before that point is removed at the next start.
/// </summary>
public sealed class LayerStore
{
    private const string ExtractPrefix = "extract-";
    private readonly string _root;
    private readonly string _temp;
    private readonly ISnapshotter _snapshots;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<Digest, LayerRecord> _layers = [];

    private LayerStore(string root, ISnapshotter snapshots)
    {
        _root = root;
        _temp = Path.Combine(root, "tmp");
        _snapshots = snapshots;
    }

    public ISnapshotter Snapshots => _snapshots;

    public static async Task<LayerStore> OpenAsync(string root, ISnapshotter snapshots, CancellationToken ct)
    {
        var store = new LayerStore(root, snapshots);
        Directories.CreatePrivate(Path.Combine(root, "sha256"));
        Directories.DeleteTree(store._temp);
        Directories.CreatePrivate(store._temp);
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(root, "sha256")))
        {
            var record = ReadRecord(dir);
            if (record is not null) store._layers[record.ChainId] = record;
        }
        await store.RemoveLeftoversAsync(ct).ConfigureAwait(false);
        return store;
    }

    /// <summary>Removes unfinished extractions and committed snapshots whose layer never became visible.</summary>
    private async Task RemoveLeftoversAsync(CancellationToken ct)
    {
        var known = _layers.Values.Select(l => l.SnapshotKey).ToHashSet(StringComparer.Ordinal);
        var snapshots = _snapshots.List();
        var leftovers = snapshots.Where(s =>
            s.Key.StartsWith(ExtractPrefix, StringComparison.Ordinal)
            || (s.Kind == SnapshotKind.Committed && s.Key.StartsWith("sha256:", StringComparison.Ordinal) && !known.Contains(s.Key))).ToList();
        // Children first, so each removal finds no snapshot standing on it.
        while (leftovers.Count > 0)
        {
            var removable = leftovers.Where(l => !_snapshots.List().Any(s => s.Parent == l.Key)).ToList();
            if (removable.Count == 0) break;
            foreach (var snapshot in removable)
            {
                await _snapshots.RemoveAsync(snapshot.Key, ct).ConfigureAwait(false);
                leftovers.Remove(snapshot);
            }
        }
    }

    public LayerRecord? Get(Digest chainId)
    {
        lock (_layers) return _layers.GetValueOrDefault(chainId);
    }

    public LayerRecord Require(Digest chainId) =>
        Get(chainId) ?? throw BerthException.System($"layer {chainId} is missing from the layer store");

    public IReadOnlyList<LayerRecord> All()
    {
        lock (_layers) return [.. _layers.Values];
    }

    /// <summary>
    /// Unpacks a layer tar (plain or compressed) on top of <paramref name="parent"/>. When
    /// <paramref name="expectedDiffId"/> is given and the content's digest differs, nothing is
    /// kept and <see cref="DiffIdMismatchException"/> says what was expected; a malformed or
    /// escaping tar gives <see cref="LayerFormatException"/>. Registering a layer that already
    /// exists returns the existing one. <paramref name="verify"/>, when given, runs after the
    /// content is unpacked and before anything is kept; it throws to refuse the layer.
    /// </summary>
    public async Task<LayerRecord> RegisterAsync(Stream tar, Digest? parent, Digest? expectedDiffId, CancellationToken ct, Func<CancellationToken, Task>? verify = null)
    {
        if (parent is { } p && Get(p) is null) throw BerthException.System($"parent layer {p} does not exist");
        var key = ExtractPrefix + Guid.NewGuid().ToString("N");
        var meta = Directories.CreateTemp(_temp, "layer-");
        var committed = false;
        await _snapshots.PrepareAsync(key, parent?.ToString(), ct).ConfigureAwait(false);
        try
        {
            Digest diffId;
            long size, tarSize;
            IReadOnlyList<int> shadowed;
            await using (var decompressed = await Decompression.OpenAsync(tar, ct).ConfigureAwait(false))
            await using (var hashing = new HashingReadStream(decompressed, leaveOpen: true))
            {
                await using var splitFile = new FileStream(Path.Combine(meta, "tar-split.gz"), FileMode.CreateNew, FileAccess.Write,
                    FileShare.None, 1, FileOptions.Asynchronous);
                await using var split = new TarSplitWriter(splitFile);
                var applier = new LayerApplier(_snapshots.ContentDirectory(key), _snapshots.WhiteoutMode, split, Path.Combine(meta, "shadow"));
                size = await applier.ApplyAsync(hashing, ct).ConfigureAwait(false);
                await split.CompleteAsync(ct).ConfigureAwait(false);
                diffId = hashing.Finish();
                tarSize = hashing.BytesRead;
                shadowed = applier.ShadowedFiles;
            }
            if (expectedDiffId is { } expected && expected != diffId)
                throw new DiffIdMismatchException(expected, diffId);
            if (verify is not null) await verify(ct).ConfigureAwait(false);

            var record = new LayerRecord(ChainId.Of(parent, diffId), diffId, parent, size, tarSize);
            await _lock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (Get(record.ChainId) is { } existing) return existing;
                WriteRecord(meta, record, shadowed);
                await _snapshots.CommitAsync(record.SnapshotKey, key, ct).ConfigureAwait(false);
                committed = true;
                var final = LayerDirectory(record.ChainId);
                Directory.Move(meta, final);
                Libc.FsyncDirectory(Path.GetDirectoryName(final)!);
                lock (_layers) _layers[record.ChainId] = record;
                return record;
            }
            finally
            {
                _lock.Release();
            }
        }
        finally
        {
            if (!committed) await _snapshots.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            Directories.DeleteTree(meta);
        }
    }

    /// <summary>Writes the layer's original uncompressed tar, byte for byte.</summary>
    public async Task WriteTarAsync(Digest chainId, Stream output, CancellationToken ct)
    {
        var record = Require(chainId);
        var dir = LayerDirectory(chainId);
        var shadowFile = Path.Combine(dir, "shadowed");
        var shadowed = File.Exists(shadowFile)
            ? (await File.ReadAllLinesAsync(shadowFile, ct).ConfigureAwait(false)).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToHashSet()
            : [];
        var content = _snapshots.ContentDirectory(record.SnapshotKey);
        await using var split = new FileStream(Path.Combine(dir, "tar-split.gz"), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await TarSplitReader.WriteTarAsync(split, (index, path) =>
        {
            var file = shadowed.Contains(index)
                ? Path.Combine(dir, "shadow", index.ToString(CultureInfo.InvariantCulture))
                : RootedPath.Resolve(content, path, followLast: false);
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }, output, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every layer that is not in <paramref name="keep"/>, below one that is, or under a
    /// container's snapshot, top layers first; returns the chain IDs deleted.
    /// </summary>
    public async Task<IReadOnlyList<Digest>> DeleteUnreferencedAsync(IEnumerable<Digest> keep, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var reachable = new HashSet<Digest>();
            foreach (var top in keep)
            {
                Digest? current = top;
                while (current is { } c && reachable.Add(c)) current = Get(c)?.Parent;
            }
            var deleted = new List<Digest>();
            bool progress;
            do
            {
                progress = false;
                foreach (var layer in All())
                {
                    if (reachable.Contains(layer.ChainId)) continue;
                    if (All().Any(l => l.Parent == layer.ChainId)) continue;
                    // A container's snapshot standing on the layer keeps it.
                    if (_snapshots.List().Any(s => s.Parent == layer.SnapshotKey && !s.Key.StartsWith(ExtractPrefix, StringComparison.Ordinal))) continue;
                    await DeleteAsync(layer, ct).ConfigureAwait(false);
                    deleted.Add(layer.ChainId);
                    progress = true;
                }
            } while (progress);
            return deleted;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task DeleteAsync(LayerRecord layer, CancellationToken ct)
    {
        var dir = LayerDirectory(layer.ChainId);
        var doomed = Path.Combine(_temp, "deleted-" + layer.ChainId.Hex);
        // The rename is the commit point: afterwards the layer no longer exists for a restarted daemon.
        Directory.Move(dir, doomed);
        lock (_layers) _layers.Remove(layer.ChainId);
        if (_snapshots.Stat(layer.SnapshotKey) is not null)
            await _snapshots.RemoveAsync(layer.SnapshotKey, ct).ConfigureAwait(false);
        Directories.DeleteTree(doomed);
    }

    private string LayerDirectory(Digest chainId) => Path.Combine(_root, "sha256", chainId.Hex);

    private static void WriteRecord(string dir, LayerRecord record, IReadOnlyList<int> shadowed)
    {
        File.WriteAllText(Path.Combine(dir, "diff"), record.DiffId.ToString());
        File.WriteAllText(Path.Combine(dir, "size"), record.Size.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(dir, "tar-size"), record.TarSize.ToString(CultureInfo.InvariantCulture));
        if (record.Parent is { } parent) File.WriteAllText(Path.Combine(dir, "parent"), parent.ToString());
        if (shadowed.Count > 0) File.WriteAllLines(Path.Combine(dir, "shadowed"), shadowed.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
        Libc.FsyncDirectory(dir);
    }

    private static LayerRecord? ReadRecord(string dir)
    {
        var diffFile = Path.Combine(dir, "diff");
        if (!File.Exists(diffFile)) return null;
        var diffId = Digest.Parse(File.ReadAllText(diffFile).Trim());
        var parentFile = Path.Combine(dir, "parent");
        Digest? parent = File.Exists(parentFile) ? Digest.Parse(File.ReadAllText(parentFile).Trim()) : null;
        var size = long.Parse(File.ReadAllText(Path.Combine(dir, "size")).Trim(), CultureInfo.InvariantCulture);
        var tarSize = long.Parse(File.ReadAllText(Path.Combine(dir, "tar-size")).Trim(), CultureInfo.InvariantCulture);
        return new LayerRecord(ChainId.Of(parent, diffId), diffId, parent, size, tarSize);
    }
}
