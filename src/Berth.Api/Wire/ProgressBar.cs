using System.Globalization;

namespace Berth.Api.Wire;

/// <summary>The textual progress bar of Docker's JSON messages, with sizes in decimal units.</summary>
public static class ProgressBar
{
    private const int Width = 50;

    public static string Render(long current, long total)
    {
        if (total <= 0) return HumanSize(current);
        var filled = (int)Math.Min(Width, Width * current / total);
        var bar = new string('=', filled) + (filled < Width ? ">" : "") + new string(' ', Math.Max(0, Width - filled - 1));
        return $"[{bar}] {HumanSize(current),8}/{HumanSize(total)}";
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
