namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>
    /// One <c>--tmpfs TARGET[:OPTIONS]</c> (an entry of HostConfig.Tmpfs). The options are mount options
    /// (<c>rw,noexec,size=64m,mode=1770</c>) and go to the mount as given.
    /// </summary>
    public static MountRequest ParseTmpfs(string target, string? options)
    {
        if (MountPath.TargetProblem(target) is { } problem) throw MountErrors.Invalid(problem);

        var data = options ?? "";
        var merged = TmpfsOptionMerge.Merge(data);
        var size = Value(merged, "size") is { } sizeText ? TmpfsValues.Size(sizeText) : 0;
        var mode = Value(merged, "mode") is { } modeText ? TmpfsValues.Mode(modeText) : (int?)null;
        return new MountRequest
        {
            Kind = MountKind.Tmpfs,
            Target = MountPath.Clean(target),
            ReadOnly = merged.Contains("ro"),
            TmpfsSize = size,
            TmpfsMode = mode,
            TmpfsOptions = data,
            FromTmpfs = true,
        };
    }

    private static string? Value(IReadOnlyList<string> options, string key) =>
        options.FirstOrDefault(option => option.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
}
