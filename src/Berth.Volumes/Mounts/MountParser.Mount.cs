using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Mounts;

public static partial class MountParser
{
    /// <summary>One <c>--mount</c> (an entry of HostConfig.Mounts). Whether a bind's source exists is <see cref="CheckBindSourceExists"/>'s to say.</summary>
    public static MountRequest ParseMount(MountSpec spec)
    {
        if (MountSpecRules.Problem(spec) is { } problem) throw MountErrors.Invalid(problem);

        var request = MountSpecConversion.ToRequest(spec);
        if (request is { Kind: MountKind.Volume, Source.Length: > 0 } && LocalVolumeName.IsLocal(request.VolumeDriver))
            LocalVolumeName.CheckForCreate(request.Source);
        return request;
    }
}
