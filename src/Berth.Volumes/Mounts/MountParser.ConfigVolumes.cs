namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>
    /// The anonymous volumes for Config.Volumes (the image's VOLUMEs and <c>docker create</c>'s own), in the
    /// given order. A path something else is already mounted on (<paramref name="mounted"/>: binds, mounts, tmpfs
    /// and volumes-from) is skipped, as dockerd does. Paths are cleaned and made absolute.
    /// </summary>
    public static IReadOnlyList<MountRequest> ParseConfigVolumes(
        IEnumerable<string> paths, IEnumerable<MountRequest> mounted, string volumeDriver = "")
    {
        var taken = mounted.Select(m => m.Target).ToHashSet(StringComparer.Ordinal);
        var volumes = new List<MountRequest>();
        foreach (var path in paths)
        {
            var target = MountPath.Clean("/" + path);
            if (!taken.Add(target)) continue;
            volumes.Add(new MountRequest { Kind = MountKind.Volume, Target = target, VolumeDriver = volumeDriver });
        }
        return volumes;
    }
}
