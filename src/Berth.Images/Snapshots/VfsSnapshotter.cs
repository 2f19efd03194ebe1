using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Storage;

namespace Berth.Images.Snapshots;

/// <summary>
/// vfs: every snapshot is a full copy of its parent in <c>ID/fs</c>, so it works on any
/// filesystem and kernel at the cost of disk space and copy time. Deletions are carried out.
/// </summary>
public sealed class VfsSnapshotter : ISnapshotter
{
    private readonly string _root;
    private readonly SnapshotMetadata _metadata;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public VfsSnapshotter(string root)
    {
        _root = Path.GetFullPath(root);
        Directories.CreatePrivate(_root);
        _metadata = new SnapshotMetadata(_root);
        foreach (var orphan in _metadata.OrphanDirectories(_ => false))
            Directories.DeleteTree(orphan);
    }

    public string Name => "vfs";
    public WhiteoutMode WhiteoutMode => WhiteoutMode.Delete;
    public IReadOnlyList<string[]> Status { get; } = [];

    public Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.Active, ct);

    public Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.View, ct);

    private async Task<IReadOnlyList<Mount>> CreateAsync(string key, string? parent, SnapshotKind kind, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_metadata.Get(key) is not null) throw BerthException.Conflict($"snapshot {key} already exists");
            string? parentFs = null;
            if (parent is not null)
            {
                var parentInfo = _metadata.Get(parent) ?? throw BerthException.NotFound($"parent snapshot {parent} does not exist");
                if (parentInfo.Kind != SnapshotKind.Committed) throw BerthException.InvalidParameter($"parent snapshot {parent} is not committed");
                parentFs = Path.Combine(_root, parentInfo.Id, "fs");
            }
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var fs = Path.Combine(_root, id, "fs");
            Directory.CreateDirectory(Path.Combine(_root, id));
            if (parentFs is null) Directory.CreateDirectory(fs);
            else await Task.Run(() => TreeCopier.Copy(parentFs, fs), ct).ConfigureAwait(false);
            var info = new SnapshotInfo(key, parent, kind, id);
            _metadata.Put(info);
            return MountsOf(info);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task CommitAsync(string name, string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = _metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist");
            if (info.Kind != SnapshotKind.Active) throw BerthException.InvalidParameter($"snapshot {key} is not active");
            if (_metadata.Get(name) is not null) throw BerthException.Conflict($"snapshot {name} already exists");
            _metadata.Rename(key, info with { Key = name, Kind = SnapshotKind.Committed });
        }
        finally
        {
            _lock.Release();
        }
    }

    public IReadOnlyList<Mount> Mounts(string key) =>
        MountsOf(_metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist"));

    private IReadOnlyList<Mount> MountsOf(SnapshotInfo info) =>
        [new Mount("bind", Path.Combine(_root, info.Id, "fs"), ["rbind", info.Kind == SnapshotKind.Active ? "rw" : "ro"])];

    public async Task RemoveAsync(string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = _metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist");
            if (_metadata.HasChildren(key)) throw BerthException.Conflict($"snapshot {key} has children");
            _metadata.Delete(info);
            await Task.Run(() => Directories.DeleteTree(Path.Combine(_root, info.Id)), ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<long> UsageAsync(string key, CancellationToken ct) =>
        Task.Run(() => DirectorySize.Of(ContentDirectory(key)), ct);

    public string ContentDirectory(string key) =>
        Path.Combine(_root, (_metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist")).Id, "fs");

    public SnapshotInfo? Stat(string key) => _metadata.Get(key);

    public IReadOnlyList<SnapshotInfo> List() => _metadata.All();

    public IReadOnlyDictionary<string, string>? DriverData(string key) => null;
}
