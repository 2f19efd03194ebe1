using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Mounts;

/// <summary>
/// moby's <c>validateMountConfig</c> for Linux, in its order, without looking at the file system:
/// whether a bind source exists is <see cref="MountParser.CheckBindSourceExists"/>'s question.
/// </summary>
internal static class MountSpecRules
{
    /// <summary>Why dockerd refuses <paramref name="spec"/>, prefixed with its type, or null when it takes it.</summary>
    public static string? Problem(MountSpec spec) =>
        Detail(spec) is { } detail ? MountErrors.MountConfigText(spec.Type ?? "", detail) : null;

    private static string? Detail(MountSpec spec)
    {
        var target = spec.Target ?? "";
        if (target.Length == 0) return MountErrors.MissingField("Target");
        if (MountPath.TargetProblem(target) is { } targetProblem) return targetProblem;

        var source = spec.Source ?? "";
        switch (spec.Type)
        {
            case MountTypes.Bind:
                if (source.Length == 0) return MountErrors.MissingField("Source");
                if (spec.BindOptions?.Propagation is { Length: > 0 } propagation && !LinuxMountMode.Propagations.Contains(propagation))
                    return $"invalid propagation mode: {propagation}";
                if (spec.VolumeOptions is not null) return MountErrors.ExtraField("VolumeOptions");
                return MountPath.AbsoluteProblem(source);
            case MountTypes.Volume:
                if (spec.BindOptions is not null) return MountErrors.ExtraField("BindOptions");
                if (source.Length == 0 && spec.ReadOnly) return "must not set ReadOnly mode when using anonymous volumes";
                return null;
            case MountTypes.Tmpfs:
                if (spec.BindOptions is not null) return MountErrors.ExtraField("BindOptions");
                if (source.Length != 0) return MountErrors.ExtraField("Source");
                return null;
            default:
                return "mount type unknown";
        }
    }
}
