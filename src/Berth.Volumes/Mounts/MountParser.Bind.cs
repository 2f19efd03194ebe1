using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Mounts;

/// <summary>
/// Turns the mount requests of a container-create (HostConfig's Binds, Mounts, Tmpfs and VolumesFrom, and
/// Config's Volumes) into <see cref="MountRequest"/>s, refusing what dockerd 20.10 refuses in its words.
/// </summary>
public static partial class MountParser
{
    /// <summary>
    /// One <c>-v</c>: <c>SRC:DST[:MODE]</c>, or <c>DST</c> alone for a new anonymous volume. SRC is an absolute host
    /// path (a bind) or a volume's name; <paramref name="volumeDriver"/> is HostConfig.VolumeDriver, which named and
    /// anonymous volumes are created with.
    /// </summary>
    public static MountRequest ParseBind(string spec, string volumeDriver = "")
    {
        var (source, target, mode) = SplitBind(spec);
        if (!LinuxMountMode.IsValid(mode)) throw MountErrors.InvalidMode(mode);

        var wire = BindAsMountSpec(source, target, mode, volumeDriver);
        if (MountSpecRules.Problem(wire) is { } problem)
            throw MountErrors.Invalid($"{MountErrors.InvalidSpecText(spec)}: {problem}");

        var request = MountSpecConversion.ToRequest(wire) with { Mode = mode, FromBinds = true };
        if (request is { Kind: MountKind.Volume, Source.Length: > 0 } && LocalVolumeName.IsLocal(volumeDriver))
            LocalVolumeName.CheckForCreate(request.Source);
        return request;
    }

    private static (string Source, string Target, string Mode) SplitBind(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0) throw MountErrors.InvalidSpec(spec);
        return parts.Length switch
        {
            1 => ("", parts[0], ""),
            // DST:MODE is no volume (a MODE needs a SRC), so a valid mode in second place is refused.
            2 when LinuxMountMode.IsValid(parts[1]) => throw MountErrors.InvalidSpec(spec),
            2 => (parts[0], parts[1], ""),
            _ => (parts[0], parts[1], parts[2]),
        };
    }

    /// <summary>The <c>--mount</c> a <c>-v</c> stands for, so both are checked by the same rules.</summary>
    private static MountSpec BindAsMountSpec(string source, string target, string mode, string volumeDriver)
    {
        var type = source.StartsWith('/') ? MountTypes.Bind : MountTypes.Volume;
        var wire = new MountSpec { Type = type, Source = source, Target = target, ReadOnly = LinuxMountMode.IsReadOnly(mode) };
        if (volumeDriver.Length > 0 && type == MountTypes.Volume)
            wire.VolumeOptions = new MountVolumeOptions { DriverConfig = new MountDriver { Name = volumeDriver } };
        if (LinuxMountMode.HasNoCopy(mode))
            (wire.VolumeOptions ??= new MountVolumeOptions()).NoCopy = true;
        if (LinuxMountMode.Propagation(mode) is { } propagation)
            wire.BindOptions = new MountBindOptions { Propagation = propagation };
        return wire;
    }
}
