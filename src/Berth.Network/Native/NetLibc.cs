using System.Runtime.InteropServices;

namespace Berth.Network.Native;

/// <summary>The libc calls networking needs and .NET does not wrap: netlink sockets and network namespaces. Failures throw <see cref="IOException"/> naming the call and errno.</summary>
internal static unsafe partial class NetLibc
{
    public const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    public const int CLONE_NEWNET = 0x40000000;
    public const int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1, SO_RCVBUF = 8, SOL_NETLINK = 270, NETLINK_EXT_ACK = 11, NETLINK_GET_STRICT_CHK = 12;
    public const int EINTR = 4, EEXIST = 17, ENOENT = 2, ENODEV = 19, EADDRINUSE = 98;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, int* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);

    public static IOException Error(string call, int errno) => new($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})") { HResult = errno };

    public static IOException LastError(string call) => Error(call, Marshal.GetLastPInvokeError());
}
