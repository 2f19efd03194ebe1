using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Mounts;

/// <summary>A checked <see cref="MountSpec"/> in the engine's shape, as moby's <c>parseMountSpec</c> makes a mount point of it.</summary>
internal static class MountSpecConversion
{
    public static MountRequest ToRequest(MountSpec spec)
    {
        var target = MountPath.Clean(spec.Target);
        var source = spec.Source ?? "";
        return spec.Type switch
        {
            MountTypes.Bind => new MountRequest
            {
                Kind = MountKind.Bind,
                Source = MountPath.Clean(source),
                Target = target,
                ReadOnly = spec.ReadOnly,
                Propagation = spec.BindOptions?.Propagation is { Length: > 0 } propagation ? propagation : LinuxMountMode.DefaultPropagation,
                NonRecursive = spec.BindOptions?.NonRecursive ?? false,
            },
            MountTypes.Volume => new MountRequest
            {
                Kind = MountKind.Volume,
                Source = source,
                Target = target,
                ReadOnly = spec.ReadOnly,
                NoCopy = spec.VolumeOptions?.NoCopy ?? false,
                VolumeDriver = spec.VolumeOptions?.DriverConfig?.Name ?? "",
                VolumeOptions = Copy(spec.VolumeOptions?.DriverConfig?.Options),
                VolumeLabels = Copy(spec.VolumeOptions?.Labels),
            },
            _ => new MountRequest
            {
                Kind = MountKind.Tmpfs,
                Target = target,
                ReadOnly = spec.ReadOnly,
                TmpfsSize = spec.TmpfsOptions?.SizeBytes ?? 0,
                // The kernel keeps only the permission and special bits of a tmpfs mode.
                TmpfsMode = spec.TmpfsOptions is { Mode: not 0 } options ? (int)(options.Mode & 0xfff) : null,
                TmpfsOptions = TmpfsData.FromMount(spec.ReadOnly, spec.TmpfsOptions),
            },
        };
    }

    private static Dictionary<string, string> Copy(Dictionary<string, string>? map) => map is null ? [] : new(map);
}
