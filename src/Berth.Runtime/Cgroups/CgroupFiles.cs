using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>Parsers for the text formats of cgroup files, shared by both versions.</summary>
internal static class CgroupFiles
{
    /// <summary>"key value" lines (memory.stat, cpu.stat, cpuacct.stat); unparsable lines are skipped.</summary>
    public static Dictionary<string, ulong> ParseFlatKeyed(string text)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) values[parts[0]] = v;
        }
        return values;
    }

    /// <summary>A single number; "max" (v2's unlimited) gives null.</summary>
    public static ulong? ParseLimit(string text)
    {
        var t = text.Trim();
        if (t == "max") return null;
        return ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static ulong ParseNumber(string text) =>
        ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    /// <summary>Space-separated numbers (cpuacct.usage_percpu).</summary>
    public static List<ulong> ParseList(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).ToList();

    /// <summary>PIDs, one a line (cgroup.procs).</summary>
    public static List<int> ParsePids(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0).Where(p => p > 0).ToList();

    /// <summary>v1 blkio files: "MAJ:MIN Op value" lines; the "Total" line is left out, as containerd does.</summary>
    public static List<BlockIoEntry> ParseBlkio(string text)
    {
        var entries = new List<BlockIoEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !TryDevice(parts[0], out var major, out var minor)) continue;
            if (!ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
            entries.Add(new BlockIoEntry(major, minor, parts[1], value));
        }
        return entries;
    }

    /// <summary>v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N …" lines, as read and write byte entries per device.</summary>
    public static List<BlockIoEntry> ParseIoStat(string text)
    {
        var entries = new List<BlockIoEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !TryDevice(parts[0], out var major, out var minor)) continue;
            ulong read = 0, write = 0;
            foreach (var pair in parts.Skip(1))
            {
                var eq = pair.IndexOf('=');
                if (eq < 0 || !ulong.TryParse(pair[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) continue;
                switch (pair[..eq])
                {
                    case "rbytes": read = v; break;
                    case "wbytes": write = v; break;
                }
            }
            entries.Add(new BlockIoEntry(major, minor, "read", read));
            entries.Add(new BlockIoEntry(major, minor, "write", write));
        }
        return entries;
    }

    private static bool TryDevice(string text, out ulong major, out ulong minor)
    {
        major = minor = 0;
        var colon = text.IndexOf(':');
        return colon > 0
               && ulong.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out major)
               && ulong.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    /// <summary>The file's text, or "" when it does not exist (a controller the host lacks, a cgroup already gone).</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
