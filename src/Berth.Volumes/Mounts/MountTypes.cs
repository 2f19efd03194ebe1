namespace Berth.Volumes.Mounts;

/// <summary>The <c>Type</c> values of Docker's <c>mount.Mount</c> that Linux knows.</summary>
internal static class MountTypes
{
    public const string Bind = "bind";
    public const string Volume = "volume";
    public const string Tmpfs = "tmpfs";
}
