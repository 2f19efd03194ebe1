using System.Runtime.InteropServices;

namespace Berth.Api.Native;

/// <summary>Linux's <c>struct statx</c>: 256 bytes, the same layout on every architecture.</summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
public struct Statx
{
    public uint Mask;
    public uint BlockSize;
    public ulong Attributes;
    public uint LinkCount;
    public uint Uid;
    public uint Gid;
    public ushort Mode;
    private ushort _pad0;
    public ulong Inode;
    public ulong Size;
    public ulong Blocks;
    public ulong AttributesMask;
    public long AccessSeconds; public uint AccessNanos; private int _pad1;
    public long BirthSeconds; public uint BirthNanos; private int _pad2;
    public long ChangeSeconds; public uint ChangeNanos; private int _pad3;
    public long ModifySeconds; public uint ModifyNanos; private int _pad4;
    public uint RdevMajor;
    public uint RdevMinor;
    public uint DevMajor;
    public uint DevMinor;

    public readonly uint FileType => Mode & 0xF000u;
    public readonly bool IsDirectory => FileType == 0x4000;
    public readonly bool IsRegular => FileType == 0x8000;
    public readonly bool IsSymlink => FileType == 0xA000;
    public readonly bool IsCharDevice => FileType == 0x2000;
    public readonly bool IsBlockDevice => FileType == 0x6000;
    public readonly bool IsFifo => FileType == 0x1000;
    public readonly DateTimeOffset ModifyTime =>
        DateTimeOffset.FromUnixTimeSeconds(ModifySeconds).AddTicks(ModifyNanos / 100);
}
