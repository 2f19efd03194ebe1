namespace Berth.Volumes.Mounts;

/// <summary>
/// The option list dockerd mounts a tmpfs with (its <c>MergeTmpfsOptions</c>): <c>noexec,nosuid,nodev,rprivate</c>
/// first, then the mount's own options, a later option replacing an earlier one of the same kind.
/// </summary>
public static class TmpfsOptionMerge
{
    public static readonly IReadOnlyList<string> Defaults = ["noexec", "nosuid", "nodev", LinuxMountMode.DefaultPropagation];

    // Flags that set or clear the same mount flag share a kind; all propagation flags share one.
    private const string PropagationKind = "propagation";
    private static readonly Dictionary<string, string> FlagKinds = new(StringComparer.Ordinal)
    {
        ["ro"] = "rdonly", ["rw"] = "rdonly",
        ["suid"] = "nosuid", ["nosuid"] = "nosuid",
        ["dev"] = "nodev", ["nodev"] = "nodev",
        ["exec"] = "noexec", ["noexec"] = "noexec",
        ["sync"] = "sync", ["async"] = "sync",
        ["dirsync"] = "dirsync",
        ["remount"] = "remount",
        ["mand"] = "mand", ["nomand"] = "mand",
        ["atime"] = "noatime", ["noatime"] = "noatime",
        ["diratime"] = "nodiratime", ["nodiratime"] = "nodiratime",
        ["relatime"] = "relatime", ["norelatime"] = "relatime",
        ["strictatime"] = "strictatime", ["nostrictatime"] = "strictatime",
        ["bind"] = PropagationKind, ["rbind"] = PropagationKind,
        ["unbindable"] = PropagationKind, ["runbindable"] = PropagationKind,
        ["private"] = PropagationKind, ["rprivate"] = PropagationKind,
        ["shared"] = PropagationKind, ["rshared"] = PropagationKind,
        ["slave"] = PropagationKind, ["rslave"] = PropagationKind,
    };

    private static readonly HashSet<string> DataKeys =
        new(StringComparer.Ordinal) { "", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol" };

    /// <summary>The options to mount a tmpfs whose data is <paramref name="data"/> (<see cref="MountRequest.TmpfsOptions"/>) with.</summary>
    public static IReadOnlyList<string> Merge(string data) =>
        MergeOptions(data.Length == 0 ? Defaults : [.. Defaults, .. data.Split(',')]);

    /// <summary>Keeps the last option of each kind, in order; refuses an option tmpfs does not know.</summary>
    public static IReadOnlyList<string> MergeOptions(IReadOnlyList<string> options)
    {
        var kindsSeen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<string>();
        // From the end, as dockerd does, so the last of a kind wins and the last bad option is the one named.
        for (var i = options.Count - 1; i >= 0; i--)
        {
            var option = options[i];
            if (option == "defaults") continue;
            if (!kindsSeen.Add(KindOf(option))) continue;
            merged.Add(option);
        }
        merged.Reverse();
        return merged;
    }

    private static string KindOf(string option)
    {
        if (FlagKinds.TryGetValue(option, out var kind)) return kind;
        var keyAndValue = option.Split('=', 2);
        if (keyAndValue.Length != 2 || !DataKeys.Contains(keyAndValue[0]))
            throw MountErrors.Invalid($"Invalid tmpfs option {GoQuote.QuoteList(keyAndValue)}");
        return "=" + keyAndValue[0];
    }
}
