using Berth.Api.Native;
using Berth.Images.Native;

namespace Berth.Images.Storage;

/// <summary>
/// Copies a directory tree as <c>cp -a</c> does: owners, modes, times, extended attributes,
/// symlinks, device nodes and hard links (within the tree) are kept. Symlinks are copied,
/// never followed.
/// </summary>
public static class TreeCopier
{
    public static void Copy(string source, string destination)
    {
        var hardLinks = new Dictionary<ulong, string>();
        var directoryTimes = new List<(string Path, DateTimeOffset Time)>();
        CopyEntry(source, destination, hardLinks, directoryTimes);
        for (var i = directoryTimes.Count - 1; i >= 0; i--)
            Libc.LUtimes(directoryTimes[i].Path, directoryTimes[i].Time, directoryTimes[i].Time);
    }

    private static void CopyEntry(string source, string destination, Dictionary<ulong, string> hardLinks,
        List<(string, DateTimeOffset)> directoryTimes)
    {
        var st = Libc.LStat(source);
        if (st.IsDirectory)
        {
            if (!Directory.Exists(destination)) Directory.CreateDirectory(destination);
            CopyAttributes(source, destination, st);
            directoryTimes.Add((destination, st.ModifyTime));
            foreach (var child in Directory.EnumerateFileSystemEntries(source))
                CopyEntry(child, Path.Combine(destination, Path.GetFileName(child)), hardLinks, directoryTimes);
            return;
        }
        if (!st.IsSymlink && st.LinkCount > 1 && hardLinks.TryGetValue(st.Inode, out var first))
        {
            Libc.Link(first, destination);
            return;
        }
        if (st.IsRegular)
        {
            File.Copy(source, destination);
            if (st.LinkCount > 1) hardLinks[st.Inode] = destination;
        }
        else if (st.IsSymlink)
        {
            File.CreateSymbolicLink(destination, new FileInfo(source).LinkTarget!);
        }
        else if (st.IsCharDevice || st.IsBlockDevice || st.IsFifo)
        {
            Libc.MkNod(destination, st.FileType, st.Mode, st.RdevMajor, st.RdevMinor);
        }
        else
        {
            return; // sockets are not copied
        }
        CopyAttributes(source, destination, st);
        Libc.LUtimes(destination, st.ModifyTime, st.ModifyTime);
    }

    private static void CopyAttributes(string source, string destination, Statx st)
    {
        Libc.LChown(destination, (int)st.Uid, (int)st.Gid);
        if (!st.IsSymlink) File.SetUnixFileMode(destination, (UnixFileMode)(st.Mode & 0xfff));
        foreach (var name in Libc.LListXattr(source))
        {
            var value = Libc.LGetXattr(source, name);
            if (value is null) continue;
            try
            {
                Libc.LSetXattr(destination, name, value);
            }
            catch (IOException e) when (e.HResult is Libc.ENOTSUP or 1)
            {
                // Same tolerance as unpacking: the target filesystem may lack the namespace.
            }
        }
    }
}
