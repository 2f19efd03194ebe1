using Berth.Images.Native;

namespace Berth.Images.Snapshots;

/// <summary>Names the filesystem under a directory by its statfs magic, as dockerd reports it.</summary>
public static class BackingFilesystem
{
    public static string Describe(string path) => Libc.StatFileSystem(path).Type switch
    {
        0xEF53 => "extfs",
        0x58465342 => "xfs",
        0x9123683E => "btrfs",
        0x01021994 => "tmpfs",
        0x794C7630 => "overlayfs",
        0x2FC12FC1 => "zfs",
        0x6969 => "nfs",
        0xF2F52010 => "f2fs",
        var other => $"unknown (0x{other:x})",
    };
}
