namespace Berth.Engine.Containers;

/// <summary>One mount of a container as its record keeps it: what inspect's <c>Mounts</c> shows, and what a start needs to mount it again.</summary>
public sealed record MountPointRecord
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; set; } = "";
    /// <summary>A volume's name; empty for binds and tmpfs.</summary>
    public string Name { get; set; } = "";
    /// <summary>A bind's host path; empty for volumes (their path comes from the volume service) and tmpfs.</summary>
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public string Driver { get; set; } = "";
    public string Mode { get; set; } = "";
    public bool RW { get; set; } = true;
    public string Propagation { get; set; } = "";
    public bool NoCopy { get; set; }
    /// <summary>A volume made for this container alone (<c>-v /path</c>, an image's VOLUME): <c>rm -v</c> and <c>--rm</c> remove it.</summary>
    public bool Anonymous { get; set; }
    /// <summary>Tmpfs mount options (<c>size=65536k,mode=1777</c>).</summary>
    public string TmpfsOptions { get; set; } = "";
    /// <summary>A plain bind rather than a recursive one (<c>bind-nonrecursive</c>).</summary>
    public bool NonRecursive { get; set; }
    /// <summary>From <c>--tmpfs</c>: dockerd leaves those out of inspect's <c>Mounts</c>.</summary>
    public bool Hidden { get; set; }
    /// <summary>From <c>-v</c>: a missing host directory is created at start, as dockerd does.</summary>
    public bool CreateSource { get; set; }
}
