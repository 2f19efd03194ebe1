using Berth.Images.Archive;

namespace Berth.Images.Snapshots;

/// <summary>
/// Stacked filesystem trees, as containerd's snapshotters keep them. Data flow:
/// <see cref="PrepareAsync"/>(key, parent) makes an active, writable snapshot that starts as the
/// committed snapshot <c>parent</c> (or empty); a layer is unpacked into its
/// <see cref="ContentDirectory"/> using <see cref="WhiteoutMode"/>, or a container writes to it
/// through <see cref="Mounts"/>. <see cref="CommitAsync"/>(name, key) freezes it as <c>name</c>,
/// which later snapshots can name as parent. <see cref="ViewAsync"/> is a read-only active
/// snapshot. <see cref="RemoveAsync"/> deletes a snapshot no other snapshot stands on.
/// <see cref="UsageAsync"/> counts the bytes a snapshot adds to its parent. Keys and names share
/// one namespace. A commit is flushed to disk before the call returns (unless it asks not to be);
/// an active snapshot is not, as its content is not. A crash of the process leaves each snapshot
/// either whole or absent.
/// </summary>
public interface ISnapshotter
{
    /// <summary>The storage driver name users see: <c>overlay2</c> or <c>vfs</c>.</summary>
    string Name { get; }

    /// <summary>How deletions are written into <see cref="ContentDirectory"/>.</summary>
    WhiteoutMode WhiteoutMode { get; }

    Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, CancellationToken ct);

    Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, CancellationToken ct);

    /// <param name="flushToDisk">false for a snapshot that is as disposable as an active one (a container's init layer).</param>
    Task CommitAsync(string name, string key, CancellationToken ct, bool flushToDisk = true);

    IReadOnlyList<Mount> Mounts(string key);

    Task RemoveAsync(string key, CancellationToken ct);

    Task<long> UsageAsync(string key, CancellationToken ct);

    /// <summary>The directory that holds this snapshot's own content.</summary>
    string ContentDirectory(string key);

    SnapshotInfo? Stat(string key);

    IReadOnlyList<SnapshotInfo> List();

    /// <summary>Paths shown as <c>GraphDriver.Data</c> in inspect output.</summary>
    IReadOnlyDictionary<string, string>? DriverData(string key);

    /// <summary>Name/value pairs shown as <c>DriverStatus</c> in <c>/info</c>.</summary>
    IReadOnlyList<string[]> Status { get; }
}
