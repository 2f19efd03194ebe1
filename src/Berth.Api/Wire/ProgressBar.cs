using System.Globalization;

namespace Berth.Api.Wire;

/// <summary>The textual progress bar of Docker's JSON messages, with sizes in decimal units.</summary>
public static class ProgressBar
{
    /// <summary>As Docker draws it: one '=' per 2%, a '>', spaces up to 50, then current/total.</summary>
    public static string Render(long current, long total)
    {
        if (total <= 0) return $"{HumanSize(current),8}";
        var percentage = Math.Min(50, (int)((double)current / total * 100) / 2);
        // As Docker: past the total (a push counts tar bytes against the layer's size), the total is left out.
        var numbers = current > total ? $"{HumanSize(current),8}" : $"{HumanSize(current),8}/{HumanSize(total)}";
        return $"[{new string('=', percentage)}>{new string(' ', 50 - percentage)}] {numbers}";
    }

    /// <summary>Sizes as Docker's progress prints them: four significant digits, decimal units (kB, MB, GB).</summary>
    public static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        var i = 0;
        while (size >= 1000 && i < units.Length - 1)
        {
            size /= 1000;
            i++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + units[i];
    }
}
