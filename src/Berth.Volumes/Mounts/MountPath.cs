namespace Berth.Volumes.Mounts;

/// <summary>The path rules of moby's Linux mount parser, which reads backslashes as slashes before judging a path.</summary>
internal static class MountPath
{
    /// <summary>Go's <c>path.Clean</c>: no empty, <c>.</c> or resolvable <c>..</c> elements; "." for nothing.</summary>
    public static string Clean(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add(part);
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Why <paramref name="path"/> cannot be a mount's target, or null when it can.</summary>
    public static string? TargetProblem(string path) => RootProblem(path) ?? AbsoluteProblem(path);

    public static string? RootProblem(string path) =>
        Clean(path.Replace('\\', '/')) == "/" ? "invalid specification: destination can't be '/'" : null;

    public static string? AbsoluteProblem(string path)
    {
        var slashed = path.Replace('\\', '/');
        return slashed.StartsWith('/') ? null : $"invalid mount path: '{slashed}' mount path must be absolute";
    }
}
