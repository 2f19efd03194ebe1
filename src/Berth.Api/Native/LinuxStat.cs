using System.Runtime.InteropServices;

namespace Berth.Api.Native;

/// <summary>
/// <c>statx(2)</c>, the one binding the image store and the builder share (owners, modes, times,
/// link counts and device numbers that .NET's FileSystemInfo does not give).
/// </summary>
public static partial class LinuxStat
{
    private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;

    /// <summary>Fills <paramref name="st"/> for <paramref name="path"/>; false with the errno when the call fails.</summary>
    public static bool TryStat(string path, bool followLinks, out Statx st, out int errno)
    {
        if (statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, out st) == 0)
        {
            errno = 0;
            return true;
        }
        errno = Marshal.GetLastPInvokeError();
        return false;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out Statx buffer);
}
