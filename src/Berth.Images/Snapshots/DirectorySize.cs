using Berth.Images.Native;

namespace Berth.Images.Snapshots;

/// <summary>The apparent size of everything in a tree but directories, each inode counted once, as dockerd's directory.Size.</summary>
public static class DirectorySize
{
    public static long Of(string root)
    {
        if (!Directory.Exists(root)) return 0;
        long total = 0;
        var seen = new HashSet<ulong>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var st = Libc.LStat(entry.FullName);
                if (st.IsDirectory) pending.Push(entry.FullName);
                else if (seen.Add(st.Inode)) total += (long)st.Size;
            }
        }
        return total;
    }
}
