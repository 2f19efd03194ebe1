namespace Berth.Images.Archive.Tar;

/// <summary>Tar type flags, by the bytes that encode them.</summary>
public enum TarEntryKind : byte
{
    Regular = (byte)'0',
    RegularV7 = 0,
    HardLink = (byte)'1',
    Symlink = (byte)'2',
    CharDevice = (byte)'3',
    BlockDevice = (byte)'4',
    Directory = (byte)'5',
    Fifo = (byte)'6',
    Contiguous = (byte)'7',
    PaxLocal = (byte)'x',
    PaxGlobal = (byte)'g',
    GnuLongName = (byte)'L',
    GnuLongLink = (byte)'K',
}
