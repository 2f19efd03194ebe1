namespace Berth.Api;

/// <summary>
/// Go's <c>os.FileMode</c>, the form Docker's API gives file modes in (the path stat header of
/// <c>docker cp</c>): permission bits low, the file type and setuid/setgid/sticky as high bits.
/// </summary>
public static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;

    /// <summary>Converts a Unix <c>st_mode</c> as Go's <c>os.Lstat</c> does.</summary>
    public static uint FromUnix(uint mode)
    {
        var result = mode & 0x1ff;
        result |= (mode & 0xf000) switch
        {
            0x6000 => Device,
            0x2000 => Device | CharDevice,
            0x4000 => Dir,
            0x1000 => NamedPipe,
            0xa000 => Symlink,
            0xc000 => Socket,
            _ => 0,
        };
        if ((mode & 0x400) != 0) result |= Setgid;
        if ((mode & 0x800) != 0) result |= Setuid;
        if ((mode & 0x200) != 0) result |= Sticky;
        return result;
    }
}
