using System.Runtime.InteropServices;

namespace Berth.Dockerfile;

/// <summary>What <c>lstat</c>/<c>stat</c> say about a file: the ownership, mode and times a copy keeps and the tar checksum covers.</summary>
internal readonly partial record struct FileStatus(uint Mode, uint Uid, uint Gid, long Size, long ModifySeconds, uint LinkCount, FileIdentity Identity)
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
        const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, StatxBasicStats = 0x7ff;
        if (Native.statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var st) != 0) return null;
        return new FileStatus(st.Mode, st.Uid, st.Gid, (long)st.Size, st.ModifySeconds, st.LinkCount,
            new FileIdentity(st.DevMajor, st.DevMinor, st.Inode));
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int statx(int dirfd, string path, int flags, uint mask, out Statx buffer);
    }

    /// <summary>The leading fields of Linux's <c>struct statx</c> (256 bytes on every architecture).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct Statx
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        public ushort Pad0;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public long AccessSeconds; public uint AccessNanos; public int Pad1;
        public long BirthSeconds; public uint BirthNanos; public int Pad2;
        public long ChangeSeconds; public uint ChangeNanos; public int Pad3;
        public long ModifySeconds; public uint ModifyNanos; public int Pad4;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;
    }
}

/// <summary>Which file an entry is (device and inode), to recognise hard links.</summary>
internal readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode);
