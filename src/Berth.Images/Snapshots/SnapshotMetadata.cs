using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Images.Storage;

namespace Berth.Images.Snapshots;

/// <summary>
/// The index of a snapshotter's snapshots: one small JSON file per snapshot directory,
/// rewritten atomically, read back into memory when the daemon starts.
/// </summary>
internal sealed class SnapshotMetadata
{
    private const string FileName = "snapshot.json";
    private readonly string _root;
    private readonly Dictionary<string, SnapshotInfo> _byKey = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public SnapshotMetadata(string root)
    {
        _root = root;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var file = Path.Combine(dir, FileName);
            if (!File.Exists(file)) continue;
            var record = JsonSerializer.Deserialize(File.ReadAllBytes(file), SnapshotJson.Default.Record);
            if (record is null) continue;
            _byKey[record.Key] = new SnapshotInfo(record.Key, record.Parent, record.Kind, Path.GetFileName(dir));
        }
    }

    public SnapshotInfo? Get(string key)
    {
        lock (_lock) return _byKey.GetValueOrDefault(key);
    }

    public SnapshotInfo Require(string key) =>
        Get(key) ?? throw new KeyNotFoundException($"snapshot {key} does not exist");

    public IReadOnlyList<SnapshotInfo> All()
    {
        lock (_lock) return [.. _byKey.Values];
    }

    public bool HasChildren(string key)
    {
        lock (_lock) return _byKey.Values.Any(s => s.Parent == key);
    }

    /// <summary>
    /// Writes the record into the snapshot's directory, then makes it visible. Only committed
    /// snapshots are flushed to disk: an active one (a container's layer, a layer being unpacked)
    /// has unflushed content anyway, and the next start deals with one a crash left behind.
    /// </summary>
    public void Put(SnapshotInfo info, bool? flushToDisk = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Record { Key = info.Key, Parent = info.Parent, Kind = info.Kind }, SnapshotJson.Default.Record);
        AtomicFile.WriteAllBytes(Path.Combine(_root, info.Id, FileName), json, flushToDisk: flushToDisk ?? info.Kind == SnapshotKind.Committed);
        lock (_lock) _byKey[info.Key] = info;
    }

    /// <summary>Moves a snapshot from one key to another (commit).</summary>
    public void Rename(string oldKey, SnapshotInfo renamed, bool flushToDisk = true)
    {
        Put(renamed, flushToDisk);
        lock (_lock) _byKey.Remove(oldKey);
    }

    /// <summary>Forgets a snapshot; its directory is deleted by the caller afterwards.</summary>
    public void Delete(SnapshotInfo info)
    {
        File.Delete(Path.Combine(_root, info.Id, FileName));
        lock (_lock) _byKey.Remove(info.Key);
    }

    /// <summary>Directories with no record are leftovers of a crash between mkdir and the first write.</summary>
    public IEnumerable<string> OrphanDirectories(Func<string, bool> isReserved)
    {
        HashSet<string> ids;
        lock (_lock) ids = [.. _byKey.Values.Select(s => s.Id)];
        return Directory.EnumerateDirectories(_root)
            .Where(d => !ids.Contains(Path.GetFileName(d)) && !isReserved(Path.GetFileName(d)));
    }

    internal sealed class Record
    {
        public required string Key { get; init; }
        public string? Parent { get; init; }
        public SnapshotKind Kind { get; init; }
    }
}

[JsonSerializable(typeof(SnapshotMetadata.Record))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class SnapshotJson : JsonSerializerContext;
