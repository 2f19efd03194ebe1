namespace Berth.Engine.Containers;

/// <summary>
/// Resolves a path inside a container's root as the container would see it: symlinks are
/// followed, but absolute targets and <c>..</c> stay inside the root (like <c>chroot</c>), so no
/// path can lead to the host.
/// </summary>
public static class RootPath
{
    public static string Resolve(string root, string path)
    {
        var parts = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (parts.Count > 0)
        {
            var part = parts.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = Path.Combine(root, string.Join('/', resolved), part);
            var info = new FileInfo(candidate);
            if (info.LinkTarget is { } target)
            {
                if (++links > 255) throw new IOException($"too many levels of symbolic links in {path}");
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) parts.Push(t);
                continue;
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, string.Join('/', resolved));
    }
}
