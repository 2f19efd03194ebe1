using System.Runtime.InteropServices;
using Berth.Api.Native;

namespace Berth.Images.Native;

/// <summary>
/// The libc calls .NET does not wrap: ownership without following links, device nodes,
/// hard links, extended attributes, timestamps on links, mounts, advisory locks.
/// Every call throws <see cref="IOException"/> naming the path and errno on failure.
/// </summary>
public static partial class Libc
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int MNT_DETACH = 2;
    public const int CLONE_FS = 0x00000200;
    public const uint S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000;
    public const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public const int ENODATA = 61, ENOTSUP = 95, ENOENT = 2, EINVAL = 22, EWOULDBLOCK = 11;

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknod(string path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lsetxattr(string path, string name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, byte[]? value, nuint size);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llistxattr(string path, byte[]? list, nuint size);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int utimensat(int dirfd, string path, Timespec[] times, int flags);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chdir(string path);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statfs(string path, out StatFs buffer);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StatFs
    {
        public long Type;
        public long BlockSize;
        public ulong Blocks, BlocksFree, BlocksAvailable, Files, FilesFree;
        public long FsId;
        public long NameLength, FragmentSize, Flags;
        private unsafe fixed long _spare[4];
    }

    private static IOException Error(string op, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{op} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    public static void LChown(string path, int uid, int gid)
    {
        if (lchown(path, uid, gid) != 0) throw Error("lchown", path);
    }

    public static void MkNod(string path, uint type, uint permissions, uint major, uint minor)
    {
        ulong dev = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
                    | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        if (mknod(path, type | (permissions & 0xfff), dev) != 0) throw Error("mknod", path);
    }

    public static void Link(string existing, string newPath)
    {
        if (link(existing, newPath) != 0) throw Error("link", newPath);
    }

    public static void LSetXattr(string path, string name, byte[] value)
    {
        if (lsetxattr(path, name, value, (nuint)value.Length, 0) != 0) throw Error($"setxattr {name}", path);
    }

    /// <summary>The attribute's value, or null when the file does not have it.</summary>
    public static byte[]? LGetXattr(string path, string name)
    {
        var size = lgetxattr(path, name, null, 0);
        if (size < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENODATA or ENOTSUP) return null;
            throw new IOException($"getxattr {name} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        var buffer = new byte[size];
        if (size > 0 && lgetxattr(path, name, buffer, (nuint)buffer.Length) < 0) throw Error($"getxattr {name}", path);
        return buffer;
    }

    public static IReadOnlyList<string> LListXattr(string path)
    {
        var size = llistxattr(path, null, 0);
        if (size < 0)
        {
            if (Marshal.GetLastPInvokeError() == ENOTSUP) return [];
            throw Error("listxattr", path);
        }
        if (size == 0) return [];
        var buffer = new byte[size];
        size = llistxattr(path, buffer, (nuint)buffer.Length);
        if (size < 0) throw Error("listxattr", path);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Sets access and modification times without following a final symlink.</summary>
    public static void LUtimes(string path, DateTimeOffset access, DateTimeOffset modify)
    {
        static Timespec Of(DateTimeOffset t)
        {
            var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
            var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
            if (rest < 0) { seconds--; rest += TimeSpan.TicksPerSecond; }
            return new Timespec { Seconds = seconds, Nanoseconds = rest * 100 };
        }
        if (utimensat(AT_FDCWD, path, [Of(access), Of(modify)], AT_SYMLINK_NOFOLLOW) != 0) throw Error("utimensat", path);
    }

    public static Statx LStat(string path)
    {
        if (!LinuxStat.TryStat(path, followLinks: false, out var st, out var errno))
            throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        return st;
    }

    public static bool TryLStat(string path, out Statx st)
    {
        if (LinuxStat.TryStat(path, followLinks: false, out st, out var errno)) return true;
        if (errno is ENOENT or 20 /* ENOTDIR */) return false;
        throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    public static StatFs StatFileSystem(string path)
    {
        if (statfs(path, out var st) != 0) throw Error("statfs", path);
        return st;
    }

    public static void Mount(string source, string target, string? fsType, ulong flags, string? data)
    {
        if (mount(source, target, fsType, flags, data) != 0) throw Error($"mount {fsType ?? source}", target);
    }

    /// <summary>Unmounts; a target that is not mounted is not an error.</summary>
    public static void Unmount(string target, bool detach)
    {
        if (umount2(target, detach ? MNT_DETACH : 0) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is EINVAL or ENOENT) return;
        throw new IOException($"umount {target}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>Gives the calling thread its own working directory, so chdir affects no other thread.</summary>
    public static void UnshareFileSystemAttributes()
    {
        if (unshare(CLONE_FS) != 0) throw Error("unshare", "CLONE_FS");
    }

    public static void ChangeDirectory(string path)
    {
        if (chdir(path) != 0) throw Error("chdir", path);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    /// <summary>
    /// Opens (creating) a file for advisory locking with open(2) itself, so .NET's own emulation
    /// of share modes (which takes flock locks too) stays out of the way.
    /// </summary>
    public static Microsoft.Win32.SafeHandles.SafeFileHandle OpenLockFile(string path)
    {
        const int O_RDWR = 2, O_CREAT = 0x40, O_CLOEXEC = 0x80000;
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0x180);
        if (fd < 0) throw Error("open", path);
        return new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint opendir(string path);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    private static partial nint readdir(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int closedir(nint dir);

    /// <summary>
    /// Whether the filesystem under <paramref name="directory"/> reports file types in directory
    /// entries (d_type), which overlayfs needs; probed with a file of its own, as dockerd does.
    /// </summary>
    public static unsafe bool SupportsDirectoryEntryTypes(string directory)
    {
        var probe = Path.Combine(directory, $".d_type-probe-{Guid.NewGuid():N}");
        File.WriteAllBytes(probe, []);
        try
        {
            var dir = opendir(directory);
            if (dir == 0) throw Error("opendir", directory);
            try
            {
                var name = Path.GetFileName(probe);
                nint entry;
                while ((entry = readdir(dir)) != 0)
                {
                    // glibc's struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                    var type = *((byte*)entry + 18);
                    if (Marshal.PtrToStringUTF8(entry + 19) == name) return type != 0;
                }
                return false;
            }
            finally
            {
                closedir(dir);
            }
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Takes an exclusive lock without waiting; false when another process holds it.</summary>
    public static bool TryLockExclusive(SafeHandle file)
    {
        if (flock((int)file.DangerousGetHandle(), LOCK_EX | LOCK_NB) == 0) return true;
        if (Marshal.GetLastPInvokeError() == EWOULDBLOCK) return false;
        throw Error("flock", "lock file");
    }

    /// <summary>Flushes a directory's entries (after a rename into it) to disk.</summary>
    /// <summary>Whether <paramref name="path"/> is the root of a mount (statx's STATX_ATTR_MOUNT_ROOT).</summary>
    public static bool IsMountPoint(string path)
    {
        const ulong STATX_ATTR_MOUNT_ROOT = 0x2000;
        return TryLStat(path, out var st) && (st.AttributesMask & STATX_ATTR_MOUNT_ROOT) != 0 && (st.Attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    }

    public static void FsyncDirectory(string path)
    {
        var fd = open(path, 0x10000 /* O_DIRECTORY */);
        if (fd < 0) throw Error("open", path);
        try
        {
            if (fsync(fd) != 0) throw Error("fsync", path);
        }
        finally
        {
            close(fd);
        }
    }
}
