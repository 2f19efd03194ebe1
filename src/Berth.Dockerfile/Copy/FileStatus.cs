using Berth.Api.Native;

namespace Berth.Dockerfile;

/// <summary>What <c>lstat</c>/<c>stat</c> say about a file: the ownership, mode and times a copy keeps and the tar checksum covers.</summary>
internal readonly record struct FileStatus(uint Mode, uint Uid, uint Gid, long Size, long ModifySeconds, uint LinkCount, FileIdentity Identity)
{
    public uint FileType => Mode & 0xF000u;
    public bool IsDirectory => FileType == 0x4000;
    public bool IsRegular => FileType == 0x8000;
    public bool IsSymlink => FileType == 0xA000;

    /// <summary>Permission bits with setuid, setgid and sticky, as Go puts them in a tar header.</summary>
    public int Permissions => (int)(Mode & 0xFFF);

    /// <summary>A file with other names: the docker CLI and dockerd's tar send the later names as hard links to the first.</summary>
    public bool IsHardLinked => !IsDirectory && LinkCount > 1;

    public static FileStatus? TryLStat(string path) => TryStat(path, follow: false);

    public static FileStatus? TryStat(string path) => TryStat(path, follow: true);

    private static FileStatus? TryStat(string path, bool follow)
    {
        if (!LinuxStat.TryStat(path, follow, out var st, out _)) return null;
        return new FileStatus(st.Mode, st.Uid, st.Gid, (long)st.Size, st.ModifySeconds, st.LinkCount,
            new FileIdentity(st.DevMajor, st.DevMinor, st.Inode));
    }
}

/// <summary>Which file an entry is (device and inode), to recognise hard links.</summary>
internal readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode);
