using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Storage;

namespace Berth.Images.Snapshots;

/// <summary>
/// What every snapshotter does alike: snapshot records by key, the rules for parents and
/// children, commit as a single metadata write, removal, usage. A driver supplies how a
/// snapshot's directory is laid out and mounted.
/// </summary>
public abstract class SnapshotterBase : ISnapshotter
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    protected SnapshotterBase(string root)
    {
        Root = Path.GetFullPath(root);
        Directories.CreatePrivate(Root);
        Metadata = new SnapshotMetadata(Root);
    }

    protected string Root { get; }
    internal SnapshotMetadata Metadata { get; }

    public abstract string Name { get; }
    public abstract WhiteoutMode WhiteoutMode { get; }
    public abstract IReadOnlyList<string[]> Status { get; }

    /// <summary>The subdirectory of a snapshot's directory that holds its own content.</summary>
    protected abstract string ContentSubdirectory { get; }

    /// <summary>Fills a new snapshot directory <paramref name="directory"/> on top of <paramref name="parent"/>.</summary>
    protected abstract Task CreateDirectoryAsync(string directory, SnapshotInfo? parent, CancellationToken ct);

    protected abstract IReadOnlyList<Mount> MountsOf(SnapshotInfo info);

    /// <summary>Driver bookkeeping to undo before a snapshot's directory is deleted.</summary>
    protected virtual void BeforeDelete(string directory) { }

    public abstract IReadOnlyDictionary<string, string>? DriverData(string key);

    public Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.Active, ct);

    public Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.View, ct);

    private async Task<IReadOnlyList<Mount>> CreateAsync(string key, string? parent, SnapshotKind kind, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Metadata.Get(key) is not null) throw BerthException.Conflict($"snapshot {key} already exists");
            SnapshotInfo? parentInfo = null;
            if (parent is not null)
            {
                parentInfo = Metadata.Get(parent) ?? throw BerthException.NotFound($"parent snapshot {parent} does not exist");
                if (parentInfo.Kind != SnapshotKind.Committed) throw BerthException.InvalidParameter($"parent snapshot {parent} is not committed");
            }
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var directory = Path.Combine(Root, id);
            Directory.CreateDirectory(directory);
            try
            {
                await CreateDirectoryAsync(directory, parentInfo, ct).ConfigureAwait(false);
            }
            catch
            {
                BeforeDelete(directory);
                Directories.DeleteTree(directory);
                throw;
            }
            var info = new SnapshotInfo(key, parent, kind, id);
            Metadata.Put(info);
            return MountsOf(info);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task CommitAsync(string name, string key, CancellationToken ct, bool flushToDisk = true)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = Require(key);
            if (info.Kind != SnapshotKind.Active) throw BerthException.InvalidParameter($"snapshot {key} is not active");
            if (Metadata.Get(name) is not null) throw BerthException.Conflict($"snapshot {name} already exists");
            Metadata.Rename(key, info with { Key = name, Kind = SnapshotKind.Committed }, flushToDisk);
        }
        finally
        {
            _lock.Release();
        }
    }

    public IReadOnlyList<Mount> Mounts(string key) => MountsOf(Require(key));

    public async Task RemoveAsync(string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = Require(key);
            if (Metadata.HasChildren(key)) throw BerthException.Conflict($"snapshot {key} has children");
            var directory = Path.Combine(Root, info.Id);
            Metadata.Delete(info);
            BeforeDelete(directory);
            await Task.Run(() => Directories.DeleteTree(directory), ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<long> UsageAsync(string key, CancellationToken ct) =>
        Task.Run(() => DirectorySize.Of(ContentDirectory(key)), ct);

    public string ContentDirectory(string key) => Path.Combine(Root, Require(key).Id, ContentSubdirectory);

    public SnapshotInfo? Stat(string key) => Metadata.Get(key);

    public IReadOnlyList<SnapshotInfo> List() => Metadata.All();

    protected SnapshotInfo Require(string key) =>
        Metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist");

    /// <summary>Deletes snapshot directories a crash left without a record.</summary>
    protected void RemoveOrphans(Func<string, bool> isReserved)
    {
        foreach (var orphan in Metadata.OrphanDirectories(isReserved))
        {
            BeforeDelete(orphan);
            Directories.DeleteTree(orphan);
        }
    }
}
