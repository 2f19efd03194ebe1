using Berth.Images.Archive.Tar;
using Berth.Images.Native;

namespace Berth.Images.Archive;

/// <summary>
/// Writes a directory tree as a tar stream, parents before children, names sorted. With
/// <c>overlayWhiteouts</c>, the tree is read as an overlay upper directory and its deletions
/// are written as OCI whiteouts: a 0:0 character device becomes <c>.wh.NAME</c> and an opaque
/// directory gains a <c>.wh..wh..opq</c> entry. Hard links within the tree stay hard links;
/// <c>security.capability</c> is the one extended attribute carried, as in dockerd.
/// </summary>
public static class DirectoryTarWriter
{
    public static async Task WriteAsync(string root, Stream output, bool overlayWhiteouts, CancellationToken ct)
    {
        var writer = new TarStreamWriter(output);
        var firstPathOfInode = new Dictionary<ulong, string>();
        foreach (var child in SortedChildren(root))
            await WriteEntryAsync(writer, root, child, overlayWhiteouts, firstPathOfInode, ct).ConfigureAwait(false);
        await writer.CloseAsync(ct).ConfigureAwait(false);
    }

    private static IEnumerable<string> SortedChildren(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal);

    private static async Task WriteEntryAsync(TarStreamWriter writer, string root, string path, bool overlayWhiteouts,
        Dictionary<ulong, string> firstPathOfInode, CancellationToken ct)
    {
        var st = Libc.LStat(path);
        var name = Path.GetRelativePath(root, path);
        var header = new TarHeader
        {
            Name = name,
            Mode = st.Mode & 0xfff,
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModTime = st.ModifyTime,
        };

        if (overlayWhiteouts && st.IsCharDevice && st.RdevMajor == 0 && st.RdevMinor == 0)
        {
            header.Name = Combine(Path.GetDirectoryName(name), Whiteouts.Prefix + Path.GetFileName(name));
            header.Kind = TarEntryKind.Regular;
            header.Mode = 0x180; // 0600, as dockerd writes whiteouts
            await writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            return;
        }

        if (st.IsDirectory)
        {
            header.Kind = TarEntryKind.Directory;
            AddCapability(path, header);
            await writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            if (overlayWhiteouts && Libc.LGetXattr(path, Whiteouts.OverlayOpaqueXattr) is [(byte)'y'])
            {
                await writer.WriteHeaderAsync(new TarHeader
                {
                    Name = name + "/" + Whiteouts.OpaqueMarker,
                    Kind = TarEntryKind.Regular,
                    Mode = header.Mode & 0x1ff,
                    Uid = header.Uid,
                    Gid = header.Gid,
                    ModTime = header.ModTime,
                }, ct).ConfigureAwait(false);
            }
            foreach (var child in SortedChildren(path))
                await WriteEntryAsync(writer, root, child, overlayWhiteouts, firstPathOfInode, ct).ConfigureAwait(false);
            return;
        }

        if (!st.IsSymlink && st.LinkCount > 1)
        {
            if (firstPathOfInode.TryGetValue(st.Inode, out var first))
            {
                header.Kind = TarEntryKind.HardLink;
                header.LinkName = first;
                await writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
                return;
            }
            firstPathOfInode[st.Inode] = name;
        }

        if (st.IsRegular)
        {
            header.Kind = TarEntryKind.Regular;
            header.Size = (long)st.Size;
            AddCapability(path, header);
            await writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await writer.CopyContentFromAsync(file, ct).ConfigureAwait(false);
            return;
        }

        if (st.IsSymlink)
        {
            header.Kind = TarEntryKind.Symlink;
            header.LinkName = new FileInfo(path).LinkTarget ?? "";
        }
        else if (st.IsCharDevice || st.IsBlockDevice)
        {
            header.Kind = st.IsCharDevice ? TarEntryKind.CharDevice : TarEntryKind.BlockDevice;
            header.DevMajor = (int)st.RdevMajor;
            header.DevMinor = (int)st.RdevMinor;
        }
        else if (st.IsFifo)
        {
            header.Kind = TarEntryKind.Fifo;
        }
        else
        {
            return; // sockets have no tar form
        }
        await writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
    }

    private static void AddCapability(string path, TarHeader header)
    {
        if (Libc.LGetXattr(path, "security.capability") is { } capability) header.Xattrs["security.capability"] = capability;
    }

    private static string Combine(string? directory, string name) =>
        string.IsNullOrEmpty(directory) ? name : directory + "/" + name;
}
