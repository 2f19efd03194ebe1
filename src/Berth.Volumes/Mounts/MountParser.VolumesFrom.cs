namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>One <c>--volumes-from CONTAINER[:MODE]</c> (an entry of HostConfig.VolumesFrom).</summary>
    public static VolumesFromRequest ParseVolumesFrom(string spec)
    {
        if (spec.Length == 0) throw MountErrors.Invalid("volumes-from specification cannot be an empty string");

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) return new VolumesFromRequest(spec, "rw");

        var mode = spec[(colon + 1)..];
        // Shared mounts keep the propagation and copy behaviour they have in the other container.
        if (!LinuxMountMode.IsValid(mode) || LinuxMountMode.Propagation(mode) is not null || LinuxMountMode.HasNoCopy(mode))
            throw MountErrors.InvalidMode(mode);
        return new VolumesFromRequest(spec[..colon], mode);
    }
}
