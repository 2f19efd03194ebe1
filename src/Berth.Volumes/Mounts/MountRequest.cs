namespace Berth.Volumes.Mounts;

/// <summary>The kinds of mount a container can ask for.</summary>
public enum MountKind
{
    Bind,
    Volume,
    Tmpfs,
}

/// <summary>
/// One mount a container asks for, from <c>-v</c> (HostConfig.Binds), <c>--mount</c>
/// (HostConfig.Mounts), <c>--tmpfs</c> (HostConfig.Tmpfs) or an image's VOLUME, checked and in one shape.
/// </summary>
public sealed record MountRequest
{
    public required MountKind Kind { get; init; }

    /// <summary>Bind: the absolute host path. Volume: the volume's name, empty for a new anonymous volume. Tmpfs: empty.</summary>
    public string Source { get; init; } = "";

    /// <summary>The absolute path inside the container, cleaned (no trailing slash, no <c>.</c> or <c>..</c>).</summary>
    public required string Target { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>Bind propagation: <c>rprivate</c> (the default), <c>private</c>, <c>rshared</c>, <c>shared</c>, <c>rslave</c> or <c>slave</c>.</summary>
    public string Propagation { get; init; } = "";

    /// <summary>Bind: mount only this file system, not the ones mounted below it (a plain bind, not rbind).</summary>
    public bool NonRecursive { get; init; }

    /// <summary>Volume: do not copy the image's files into a new empty volume (<c>nocopy</c>, <c>volume-nocopy</c>).</summary>
    public bool NoCopy { get; init; }

    /// <summary>Volume: the driver to create it with when it does not exist (<c>local</c> when empty).</summary>
    public string VolumeDriver { get; init; } = "";

    /// <summary>Volume: driver options and labels for a volume created by this mount.</summary>
    public IReadOnlyDictionary<string, string> VolumeOptions { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> VolumeLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Tmpfs: size in bytes (0: the kernel's default) and mode (null: 1777).</summary>
    public long TmpfsSize { get; init; }
    public int? TmpfsMode { get; init; }

    /// <summary>
    /// Tmpfs: the mount data dockerd passes on: <c>--tmpfs</c>'s options as given (<c>rw,noexec,size=64m</c>),
    /// or for <c>--mount</c> its read-only flag, mode and size as dockerd writes them (<c>ro,mode=1770,size=1m</c>).
    /// <see cref="TmpfsOptionMerge"/> turns it into the final option list.
    /// </summary>
    public string TmpfsOptions { get; init; } = "";

    /// <summary>inspect's <c>Mode</c>: the options as the user wrote them in <c>-v</c> (<c>ro</c>, <c>z</c>, …); empty for <c>--mount</c>.</summary>
    public string Mode { get; init; } = "";

    /// <summary>Where the request came from: <c>-v</c> creates a missing host directory, <c>--mount</c> refuses it.</summary>
    public bool FromBinds { get; init; }

    /// <summary>From <c>--tmpfs</c> (HostConfig.Tmpfs): dockerd does not list these in inspect's <c>Mounts</c>.</summary>
    public bool FromTmpfs { get; init; }
}
