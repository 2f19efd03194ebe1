namespace Berth.Volumes.Mounts;

/// <summary>The path rules of moby's Linux mount parser, which reads backslashes as slashes before judging a path.</summary>
internal static class MountPath
{
    /// <summary>Go's <c>path.Clean</c>.</summary>
    public static string Clean(string path) => Berth.Api.GoPath.Clean(path);

    /// <summary>Why <paramref name="path"/> cannot be a mount's target, or null when it can.</summary>
    public static string? TargetProblem(string path) => RootProblem(path) ?? AbsoluteProblem(path);

    public static string? RootProblem(string path) =>
        Clean(path.Replace('\\', '/')) == "/" ? "invalid specification: destination can't be '/'" : null;

    public static string? AbsoluteProblem(string path)
    {
        var slashed = path.Replace('\\', '/');
        return slashed.StartsWith('/') ? null : $"invalid mount path: '{slashed}' mount path must be absolute";
    }
}
