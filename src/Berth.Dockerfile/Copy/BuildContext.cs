namespace Berth.Dockerfile;

/// <summary>
/// The build context on disk as dockerd sees it: paths resolve inside the root (symlinks followed, absolute targets taken
/// from the root, <c>..</c> never above it), and what .dockerignore excludes is not there.
/// </summary>
internal sealed class BuildContext(string root, DockerIgnore? ignore)
{
    private const int MaxSymlinks = 255;

    private Dictionary<FileIdentity, string>? _firstNames;

    public string Root { get; } = Path.GetFullPath(root).TrimEnd('/');

    /// <summary>
    /// The first name, in the order the docker CLI sends the context, of a file that has several: the CLI sends the
    /// others as hard links to it, and that is what dockerd checksums.
    /// </summary>
    public string FirstNameOf(FileStatus status)
    {
        _firstNames ??= Walk(".").Where(e => e.Status.IsHardLinked).GroupBy(e => e.Status.Identity)
            .ToDictionary(g => g.Key, g => g.First().Relative);
        return _firstNames.GetValueOrDefault(status.Identity, "");
    }

    public string FullPath(string relative) => relative is "" or "." ? Root : Root + "/" + relative;

    /// <summary>
    /// Resolves a context path with its symlinks followed inside the root, as dockerd's FollowSymlinkInScope: the relative
    /// path it lands on ("." for the root), or null when the path itself climbs out of the context or its links loop
    /// (dockerd reports both as a forbidden path).
    /// </summary>
    public string? Resolve(string path)
    {
        var cleaned = Berth.Api.GoPath.Clean(path);
        if (cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal)) return null;
        var joined = Berth.Api.GoPath.Clean("/" + cleaned);
        var resolved = new List<string>();
        var pending = new Stack<string>(joined.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(part);
            var full = FullPath(string.Join('/', resolved));
            if (FileStatus.TryLStat(full) is not { IsSymlink: true }) continue;
            if (++links > MaxSymlinks) return null;
            var target = new FileInfo(full).LinkTarget ?? "";
            resolved.RemoveAt(resolved.Count - 1);
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) pending.Push(t);
        }
        return resolved.Count == 0 ? "." : string.Join('/', resolved);
    }

    /// <summary>Whether .dockerignore keeps a (real, relative) path out of the context.</summary>
    public bool IsExcluded(string relative) => relative != "." && ignore is not null && ignore.Excludes(relative);

    /// <summary>The entry's lstat, or null when it is missing or excluded: whether the client sent it in the context tar.</summary>
    public FileStatus? LStat(string relative) => IsExcluded(relative) ? null : FileStatus.TryLStat(FullPath(relative));

    /// <summary>
    /// The entry's lstat when dockerd would find it in the extracted context: sent, or an excluded directory that holds
    /// re-included files (the client sends those files without their directory, which extraction then creates).
    /// </summary>
    public FileStatus? Present(string relative)
    {
        if (FileStatus.TryLStat(FullPath(relative)) is not { } status) return null;
        return !IsExcluded(relative) || IsEntered(relative, status) ? status : null;
    }

    private bool IsEntered(string relative, FileStatus status) => status.IsDirectory && (!IsExcluded(relative) || ignore!.MayIncludeUnder(relative));

    /// <summary>
    /// Every entry under a directory (not the directory itself), depth first in byte order as Go's filepath.Walk, with
    /// excluded entries left out, except excluded directories where an exception may re-include something (see <see cref="Present"/>).
    /// </summary>
    public IEnumerable<(string Relative, FileStatus Status)> Walk(string directory)
    {
        var names = Directory.EnumerateFileSystemEntries(FullPath(directory)).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var relative = directory == "." ? name : directory + "/" + name;
            if (FileStatus.TryLStat(FullPath(relative)) is not { } status) continue;
            var entered = IsEntered(relative, status);
            if (entered || !IsExcluded(relative)) yield return (relative, status);
            if (entered)
                foreach (var child in Walk(relative)) yield return child;
        }
    }
}
