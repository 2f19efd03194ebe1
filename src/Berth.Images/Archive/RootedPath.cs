using Berth.Images.Native;

namespace Berth.Images.Archive;

/// <summary>
/// Paths inside a root directory that must never lead out of it. Names are cleaned as Go's
/// <c>path.Clean</c> does; symlinks met on the way are followed as if the root were <c>/</c>,
/// so an absolute or <c>..</c>-laden link target stays inside the root.
/// </summary>
public static class RootedPath
{
    private const int MaxSymlinks = 255;

    /// <summary>
    /// Cleans an archive entry name to a relative path ("" for the root itself). Returns null
    /// when the name climbs out of the root with <c>..</c>; a leading <c>/</c> is dropped.
    /// </summary>
    public static string? CleanRelative(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return name.StartsWith('/') ? "" : null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>True when <paramref name="relative"/> starts with <c>..</c> after cleaning, i.e. escapes.</summary>
    public static bool Escapes(string relative) => CleanRelative(relative) is null;

    /// <summary>
    /// The host path for <paramref name="relative"/> inside <paramref name="root"/>, following
    /// symlinks in every component (and in the last one only when <paramref name="followLast"/>)
    /// without ever leaving the root. Components that do not exist are taken literally.
    /// </summary>
    public static string Resolve(string root, string relative, bool followLast)
    {
        var pending = new LinkedList<string>(Split(relative));
        var resolved = new List<string>();
        var links = 0;
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Join(root, resolved, part);
            if ((pending.Count == 0 && !followLast) || !Libc.TryLStat(candidate, out var st) || !st.IsSymlink)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks) throw new IOException($"too many levels of symbolic links resolving {relative}");
            var target = new FileInfo(candidate).LinkTarget ?? "";
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var p in Split(target).Reverse()) pending.AddFirst(p);
        }
        return Join(root, resolved, null);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Join(string root, List<string> parts, string? last)
    {
        var all = last is null ? parts : [.. parts, last];
        return all.Count == 0 ? root : root.TrimEnd('/') + "/" + string.Join('/', all);
    }
}
