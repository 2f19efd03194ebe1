namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Removes every mount under a directory, deepest first, so the directory can be deleted.</summary>
public static class Mounts
{
    public static async Task UnmountAllUnderAsync(string root)
    {
        var prefix = root.TrimEnd('/') + "/";
        var points = File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => Unescape(l.Split(' ')[4]))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) || p == root)
            .OrderByDescending(p => p.Length)
            .ToList();
        foreach (var point in points) await Processes.RunAsync("umount", "-l", point);
    }

    public static bool AnyUnder(string root) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => Unescape(l.Split(' ')[4]).StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal));

    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
