namespace Berth.Volumes.Mounts;

/// <summary>One <c>--volumes-from</c>: the container whose volumes and binds to share, and the mode to share them in.</summary>
/// <param name="Container">The container's name or ID, as given.</param>
/// <param name="Mode"><c>rw</c> when none was given; otherwise the mode as given (<c>ro</c>, <c>rw,z</c>, or empty after a bare colon).</param>
public sealed record VolumesFromRequest(string Container, string Mode)
{
    /// <summary>Whether the shared mounts are made read-only; a read-only mount stays read-only either way.</summary>
    public bool ReadOnly => LinuxMountMode.IsReadOnly(Mode);
}
