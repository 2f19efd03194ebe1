namespace Berth.Images.Snapshots;

/// <summary>Rewrites overlay mount options with paths relative to the directory they all share.</summary>
public static class OverlayOptions
{
    private static readonly string[] PathKeys = ["lowerdir", "upperdir", "workdir"];

    /// <returns>The shared directory and the option string relative to it.</returns>
    public static (string BaseDirectory, string Data) Relativize(IReadOnlyList<string> options)
    {
        var paths = new List<string>();
        foreach (var option in options)
        {
            var eq = option.IndexOf('=');
            if (eq < 0 || !PathKeys.Contains(option[..eq])) continue;
            paths.AddRange(option[(eq + 1)..].Split(':'));
        }
        var baseDirectory = CommonDirectory(paths);
        var prefix = baseDirectory.TrimEnd('/') + "/";
        var rewritten = options.Select(option =>
        {
            var eq = option.IndexOf('=');
            if (eq < 0 || !PathKeys.Contains(option[..eq])) return option;
            var relative = option[(eq + 1)..].Split(':').Select(p => p.StartsWith(prefix, StringComparison.Ordinal) ? p[prefix.Length..] : p);
            return option[..(eq + 1)] + string.Join(':', relative);
        });
        return (baseDirectory, string.Join(',', rewritten));
    }

    private static string CommonDirectory(List<string> paths)
    {
        if (paths.Count == 0) return "/";
        var common = paths[0].Split('/');
        var length = common.Length - 1;
        foreach (var path in paths.Skip(1))
        {
            var parts = path.Split('/');
            var i = 0;
            while (i < length && i < parts.Length - 1 && parts[i] == common[i]) i++;
            length = i;
        }
        var dir = string.Join('/', common.Take(length));
        return dir.Length == 0 ? "/" : dir;
    }
}
