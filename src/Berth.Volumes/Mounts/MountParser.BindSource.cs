namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>
    /// Refuses a bind whose host path does not exist, as dockerd does for <c>--mount</c> when the container is
    /// created (<c>-v</c> creates the directory instead). Other kinds of mount pass.
    /// </summary>
    public static void CheckBindSourceExists(MountRequest request)
    {
        if (request.Kind != MountKind.Bind || Exists(request.Source)) return;
        throw MountErrors.Invalid(MountErrors.MountConfigText(MountTypes.Bind, $"bind source path does not exist: {request.Source}"));
    }

    // Like Go's os.Stat, a symbolic link counts by what it finally points at; .NET's Exists sees the link itself.
    private static bool Exists(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is null) return info.Exists || Directory.Exists(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target is not null && (File.Exists(target.FullName) || Directory.Exists(target.FullName));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
