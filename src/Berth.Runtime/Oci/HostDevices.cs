using Berth.Api.Wire.Containers;
using Berth.Runtime.Native;

namespace Berth.Runtime.Oci;

/// <summary>Device nodes given to containers (<c>--device</c>, <c>--privileged</c>) and the device cgroup rules that go with them.</summary>
public static class HostDevices
{
    /// <summary>Docker's default device cgroup rules: deny all, then mknod of any device and the usual character devices.</summary>
    public static IEnumerable<SpecDeviceRule> DefaultRules()
    {
        yield return new SpecDeviceRule { Allow = false, Access = "rwm" };
        yield return new SpecDeviceRule { Allow = true, Type = "c", Access = "m" };
        yield return new SpecDeviceRule { Allow = true, Type = "b", Access = "m" };
        foreach (var (major, minor) in new (long, long?)[] { (1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2), (136, null), (10, 200) })
            yield return new SpecDeviceRule { Allow = true, Type = "c", Major = major, Minor = minor, Access = "rwm" };
    }

    /// <summary>Parses and checks <c>--device</c> mappings; the message of a failure is dockerd's.</summary>
    public static List<SpecDevice>? Resolve(IReadOnlyList<DeviceMapping>? mappings)
    {
        if (mappings is not { Count: > 0 }) return null;
        var devices = new List<SpecDevice>();
        foreach (var mapping in mappings)
        {
            var stat = Posix.Stat(mapping.PathOnHost)
                       ?? throw new ArgumentException($"error gathering device information while adding custom device \"{mapping.PathOnHost}\": no such file or directory");
            if (stat.IsDirectory)
            {
                foreach (var file in Directory.EnumerateFiles(mapping.PathOnHost, "*", SearchOption.AllDirectories))
                    if (Posix.Stat(file) is { } s && (s.IsCharDevice || s.IsBlockDevice))
                        devices.Add(ToDevice(Path.Combine(mapping.PathInContainer, Path.GetRelativePath(mapping.PathOnHost, file)), s));
                continue;
            }
            if (!stat.IsCharDevice && !stat.IsBlockDevice)
                throw new ArgumentException($"error gathering device information while adding custom device \"{mapping.PathOnHost}\": not a device node");
            devices.Add(ToDevice(string.IsNullOrEmpty(mapping.PathInContainer) ? mapping.PathOnHost : mapping.PathInContainer, stat));
        }
        return devices;
    }

    public static IEnumerable<SpecDeviceRule> Rules(IReadOnlyList<DeviceMapping>? mappings)
    {
        foreach (var mapping in mappings ?? [])
        {
            if (Posix.Stat(mapping.PathOnHost) is not { } stat || !(stat.IsCharDevice || stat.IsBlockDevice)) continue;
            yield return new SpecDeviceRule
            {
                Allow = true,
                Type = stat.IsCharDevice ? "c" : "b",
                Major = stat.RdevMajor,
                Minor = stat.RdevMinor,
                Access = string.IsNullOrEmpty(mapping.CgroupPermissions) ? "rwm" : mapping.CgroupPermissions,
            };
        }
    }

    /// <summary>Every device node of the host's /dev, for privileged containers (as dockerd, without /dev/pts and the console).</summary>
    public static List<SpecDevice> All()
    {
        var devices = new List<SpecDevice>();
        var pending = new Stack<string>();
        pending.Push("/dev");
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(dir).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry is "/dev/pts" or "/dev/mqueue" or "/dev/shm" or "/dev/console" or "/dev/ptmx") continue;
                if (Posix.Stat(entry, followLinks: false) is not { } stat) continue;
                if (stat.IsDirectory) pending.Push(entry);
                else if (stat.IsCharDevice || stat.IsBlockDevice) devices.Add(ToDevice(entry, stat));
            }
        }
        return devices;
    }

    private static SpecDevice ToDevice(string path, Posix.FileStat stat) => new()
    {
        Path = path,
        Type = stat.IsCharDevice ? "c" : "b",
        Major = stat.RdevMajor,
        Minor = stat.RdevMinor,
        FileMode = stat.Mode & 0xFFF,
        Uid = stat.Uid,
        Gid = stat.Gid,
    };
}
