namespace Berth.Api;

/// <summary>
/// Go's <c>path</c> functions on slash-separated paths, which decide how dockerd names what
/// <c>docker cp</c> copies: <c>/data/</c> and <c>/data/.</c> mean different things.
/// </summary>
public static class GoPath
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

    /// <summary>Go's <c>path.Base</c>: the last element, trailing slashes ignored; "/" for the root.</summary>
    public static string Base(string path)
    {
        if (path.Length == 0) return ".";
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0) return "/";
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>Go's <c>path.Split</c>: everything up to and including the last slash, and the rest.</summary>
    public static (string Directory, string File) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return (path[..(slash + 1)], path[(slash + 1)..]);
    }

    /// <summary>
    /// A path given by a client, made absolute and clean in a container, keeping a trailing
    /// <c>/.</c> or <c>/</c> (dockerd's <c>PreserveTrailingDotOrSeparator</c> on <c>Join("/", path)</c>).
    /// </summary>
    public static string AbsoluteInContainer(string path)
    {
        var cleaned = Clean("/" + path);
        if (Base(cleaned) != "." && Base(path) == ".")
            cleaned += cleaned.EndsWith('/') ? "." : "/.";
        if (!cleaned.EndsWith('/') && path.EndsWith('/')) cleaned += "/";
        return cleaned;
    }
}
