using System.Runtime.InteropServices;

namespace Berth.Volumes.Native;

/// <summary>mount(2) and umount2(2), for local volumes with a device or a file system type.</summary>
internal static partial class MountCalls
{
    private const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string? type, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);

    /// <summary>Mounts; the error names the call as <c>mount</c> would.</summary>
    public static void Mount(string source, string target, string? type, ulong flags, string? data)
    {
        if (mount(source, target, type, flags, data) != 0)
            throw new IOException($"error while mounting volume '{target}': failed to mount local volume: mount {source}:{target}, data: {data}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()).ToLowerInvariant()}");
    }

    public static void Unmount(string target) => umount2(target, MNT_DETACH);

    public const ulong MS_BIND = 0x1000, MS_REC = 0x4000;
}
