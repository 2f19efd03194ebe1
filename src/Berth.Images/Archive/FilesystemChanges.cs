using Berth.Api.Native;
using Berth.Images.Native;

namespace Berth.Images.Archive;

/// <summary>What happened to a path, numbered as in Docker's API (<c>GET /containers/{id}/changes</c>).</summary>
public enum ChangeKind
{
    Modify = 0,
    Add = 1,
    Delete = 2,
}

/// <summary>One changed path, absolute inside the container (<c>/etc/passwd</c>).</summary>
public readonly record struct FilesystemChange(string Path, ChangeKind Kind);

/// <summary>
/// The changes a container made to its image, computed as dockerd computes them: from an
/// overlay upper directory and the lower layers (its native overlay diff), or by comparing two
/// full trees (the naive diff vfs uses). In both, the parent directory of an added or deleted
/// path is reported as modified.
/// </summary>
public static class FilesystemChanges
{
    private const string CapabilityXattr = "security.capability";

    /// <summary>
    /// Walks an overlay upper directory: whiteouts and opaque directories are deletions; a path is
    /// modified when some lower layer (top first) has it, else added; a copied-up directory whose
    /// size, mode and time equal the lower one's is not a change by itself.
    /// </summary>
    public static List<FilesystemChange> OfOverlay(string upper, IReadOnlyList<string> lowers)
    {
        var changes = new List<FilesystemChange>();
        var changedDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in SortedChildren(upper))
            WalkOverlay(upper, "/" + child, lowers, changes, changedDirectories);
        return changes;
    }

    private static void WalkOverlay(string upper, string path, IReadOnlyList<string> lowers, List<FilesystemChange> changes, HashSet<string> changedDirectories)
    {
        var hostPath = upper + path;
        var st = Libc.LStat(hostPath);
        if (OverlayChangeOf(hostPath, path, st, lowers) is { } change)
        {
            if (st.IsDirectory) changedDirectories.Add(path);
            if (change.Kind is ChangeKind.Add or ChangeKind.Delete)
            {
                var parent = ParentOf(path);
                if (parent != "/" && changedDirectories.Add(parent)) changes.Add(new FilesystemChange(parent, ChangeKind.Modify));
            }
            changes.Add(change);
        }
        if (!st.IsDirectory) return;
        foreach (var child in SortedChildren(hostPath))
            WalkOverlay(upper, path + "/" + child, lowers, changes, changedDirectories);
    }

    /// <summary>The change one upper-directory entry stands for, or null for a directory copied up unchanged.</summary>
    private static FilesystemChange? OverlayChangeOf(string hostPath, string path, Statx st, IReadOnlyList<string> lowers)
    {
        if (IsWhiteout(st)) return new FilesystemChange(path, ChangeKind.Delete);
        if (st.IsDirectory && Libc.LGetXattr(hostPath, Whiteouts.OverlayOpaqueXattr) is [(byte)'y'])
            return new FilesystemChange(path, ChangeKind.Delete);
        foreach (var lower in lowers)
        {
            if (!Libc.TryLStat(lower + path, out var below)) continue;
            if (below.IsDirectory && st.IsDirectory && below.Size == st.Size && below.Mode == st.Mode
                && SameTime(below.ModifySeconds, below.ModifyNanos, st.ModifySeconds, st.ModifyNanos))
                return null;
            return new FilesystemChange(path, ChangeKind.Modify);
        }
        return new FilesystemChange(path, ChangeKind.Add);
    }

    /// <summary>Compares a full tree with the full tree it started as (dockerd's <c>ChangesDirs</c>).</summary>
    public static List<FilesystemChange> Between(string newer, string older)
    {
        var changes = new List<FilesystemChange>();
        CompareDirectory(newer, older, "", added: false, oldIsDirectory: true, changes);
        return changes;
    }

    /// <summary>Adds the changes below one directory of the new tree; <paramref name="path"/> is "" for the root.</summary>
    private static void CompareDirectory(string newer, string older, string path, bool added, bool oldIsDirectory, List<FilesystemChange> changes)
    {
        var oldChildren = oldIsDirectory && !added
            ? SortedChildren(older + (path.Length == 0 ? "" : path)).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var name in SortedChildren(newer + path))
        {
            var childPath = path + "/" + name;
            var st = Libc.LStat(newer + childPath);
            var childAdded = added || !oldChildren.Remove(name);
            var childReported = false;
            var oldChildIsDirectory = false;
            if (childAdded)
            {
                changes.Add(new FilesystemChange(childPath, ChangeKind.Add));
                childReported = true;
            }
            else
            {
                var before = Libc.LStat(older + childPath);
                oldChildIsDirectory = before.IsDirectory;
                if (StatDifferent(before, st) || !CapabilityEqual(older + childPath, newer + childPath))
                {
                    changes.Add(new FilesystemChange(childPath, ChangeKind.Modify));
                    childReported = true;
                }
            }
            if (st.IsDirectory)
                CompareChildDirectory(newer, older, childPath, childAdded, oldChildIsDirectory, childReported, changes);
        }
        foreach (var name in oldChildren.Order(StringComparer.Ordinal))
            changes.Add(new FilesystemChange(path + "/" + name, ChangeKind.Delete));
    }

    /// <summary>Recurses into a directory and, when something below it changed but it was not reported itself, reports it first.</summary>
    private static void CompareChildDirectory(string newer, string older, string path, bool added, bool oldIsDirectory, bool reported, List<FilesystemChange> changes)
    {
        var sizeAtEntry = changes.Count;
        CompareDirectory(newer, older, path, added, oldIsDirectory, changes);
        if (changes.Count > sizeAtEntry && !reported)
            changes.Insert(sizeAtEntry, new FilesystemChange(path, ChangeKind.Modify));
    }

    /// <summary>dockerd's <c>statDifferent</c>: size and time count only for non-directories.</summary>
    private static bool StatDifferent(Statx a, Statx b) =>
        a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || a.RdevMajor != b.RdevMajor || a.RdevMinor != b.RdevMinor
        || (!a.IsDirectory && (!SameTime(a.ModifySeconds, a.ModifyNanos, b.ModifySeconds, b.ModifyNanos) || a.Size != b.Size));

    /// <summary>Times are the same when equal, or equal in seconds where one side lost its nanoseconds (as a tar round trip does).</summary>
    private static bool SameTime(long s1, uint n1, long s2, uint n2) => s1 == s2 && (n1 == n2 || n1 == 0 || n2 == 0);

    private static bool CapabilityEqual(string a, string b) =>
        (Libc.LGetXattr(a, CapabilityXattr) ?? []).AsSpan().SequenceEqual(Libc.LGetXattr(b, CapabilityXattr) ?? []);

    internal static bool IsWhiteout(Statx st) => st.IsCharDevice && st.RdevMajor == 0 && st.RdevMinor == 0;

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static IEnumerable<string> SortedChildren(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
