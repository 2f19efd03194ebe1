namespace Berth.Runtime;

/// <summary>
/// Removes what runc keeps for a container whose init process has ended — its cgroups in every
/// mounted hierarchy and its state directory — which is all <c>runc delete</c> does for a stopped
/// container without hooks, but without starting a runc process on every container exit.
/// </summary>
public static class StoppedContainerCleaner
{
    private static readonly Lazy<IReadOnlyList<string>> CgroupMounts = new(ReadCgroupMounts);

    /// <summary>False when a cgroup still holds processes (the caller then falls back to <c>runc delete --force</c>).</summary>
    public static bool TryDelete(Runc runc, string id, string cgroupsPath)
    {
        var relative = cgroupsPath.TrimStart('/');
        foreach (var mount in CgroupMounts.Value)
        {
            var directory = Path.Combine(mount, relative);
            try
            {
                Directory.Delete(directory);
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (IOException)
            {
                return false;
            }
        }
        var state = Path.Combine(runc.StateRoot, id);
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        return true;
    }

    /// <summary>Every cgroup (v1) and cgroup2 mount point of this mount namespace.</summary>
    private static IReadOnlyList<string> ReadCgroupMounts()
    {
        var mounts = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0) continue;
            var type = line[(separator + 3)..].Split(' ')[0];
            if (type is not ("cgroup" or "cgroup2")) continue;
            mounts.Add(Unescape(line[..separator].Split(' ')[4]));
        }
        return mounts;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes.</summary>
    private static string Unescape(string path) =>
        path.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
