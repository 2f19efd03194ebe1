namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>Refuses two mounts on one path, naming the second, as dockerd does across Binds, Mounts and Tmpfs.</summary>
    public static void CheckDuplicates(IEnumerable<MountRequest> requests)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
            if (!targets.Add(request.Target))
                throw MountErrors.DuplicateMountPoint(request.Target);
    }
}
