namespace Berth.Volumes.Mounts;

/// <summary>
/// The MODE of <c>-v SRC:DST:MODE</c> and <c>--volumes-from C:MODE</c>: a comma list with at most one
/// of each kind — <c>ro</c>/<c>rw</c>, an SELinux label (<c>z</c>, <c>Z</c>), a propagation,
/// <c>nocopy</c> and a macOS consistency, which Linux accepts and ignores.
/// </summary>
internal static class LinuxMountMode
{
    public const string DefaultPropagation = "rprivate";

    public static readonly IReadOnlySet<string> Propagations =
        new HashSet<string>(StringComparer.Ordinal) { "private", "rprivate", "slave", "rslave", "shared", "rshared" };

    private const string NoCopy = "nocopy";
    private static readonly HashSet<string> ReadWrite = new(StringComparer.Ordinal) { "rw", "ro" };
    private static readonly HashSet<string> Labels = new(StringComparer.Ordinal) { "z", "Z" };
    private static readonly HashSet<string> Consistencies = new(StringComparer.Ordinal) { "consistent", "cached", "delegated" };

    public static bool IsValid(string mode)
    {
        if (mode.Length == 0) return true;
        var counts = new int[5];
        foreach (var option in Options(mode))
        {
            var kind = KindOf(option);
            if (kind < 0) return false;
            counts[kind]++;
        }
        return counts.All(count => count <= 1);
    }

    public static bool IsReadOnly(string mode) => Options(mode).Contains("ro");

    /// <summary>The propagation the mode names, or null when it names none.</summary>
    public static string? Propagation(string mode) => Options(mode).FirstOrDefault(Propagations.Contains);

    public static bool HasNoCopy(string mode) => Options(mode).Contains(NoCopy);

    private static string[] Options(string mode) => mode.Split(',');

    private static int KindOf(string option) =>
        ReadWrite.Contains(option) ? 0
        : Labels.Contains(option) ? 1
        : Propagations.Contains(option) ? 2
        : option == NoCopy ? 3
        : Consistencies.Contains(option) ? 4
        : -1;
}
