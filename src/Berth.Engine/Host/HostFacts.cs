using System.Globalization;
using Berth.Images.Native;

namespace Berth.Engine.Host;

/// <summary>Facts about the host read from /proc, /sys and /etc, as dockerd reports them in /info.</summary>
public static class HostFacts
{
    private const long Cgroup2Magic = 0x63677270;

    public static string KernelVersion => ReadTrimmed("/proc/sys/kernel/osrelease") ?? "";

    public static (string PrettyName, string VersionId) OperatingSystem()
    {
        string pretty = "Linux", version = "";
        foreach (var path in new[] { "/etc/os-release", "/usr/lib/os-release" })
        {
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path))
            {
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                var value = line[(eq + 1)..].Trim().Trim('"');
                switch (line[..eq])
                {
                    case "PRETTY_NAME": pretty = value; break;
                    case "VERSION_ID": version = value; break;
                }
            }
            break;
        }
        return (pretty, version);
    }

    public static long MemoryTotal()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var kb = line["MemTotal:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    /// <summary>"2" on a unified hierarchy; "1" on v1 or hybrid layouts (where the v1 controllers do the work).</summary>
    public static string CgroupVersion =>
        Directory.Exists("/sys/fs/cgroup") && Libc.StatFileSystem("/sys/fs/cgroup").Type == Cgroup2Magic ? "2" : "1";

    public static bool IPv4Forwarding => ReadTrimmed("/proc/sys/net/ipv4/ip_forward") == "1";

    public static bool BridgeNfCall(string family) => ReadTrimmed($"/proc/sys/net/bridge/bridge-nf-call-{family}") == "1";

    public static bool SeccompSupported => File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Seccomp:", StringComparison.Ordinal));

    public static int OpenFileDescriptors => Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();

    public static int Threads
    {
        get
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
    }

    public static string HostName => Environment.MachineName;

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
