using System.Runtime.InteropServices;

namespace Berth.Network.Nft;

/// <summary>
/// Checks that a netfilter netlink socket can be opened. libnftables opens one in
/// <c>nft_ctx_new</c> and calls <c>exit()</c> when it cannot, which would end berthd.
/// </summary>
internal static partial class NetfilterSocketProbe
{
    private const int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_NETFILTER = 12;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);

    /// <summary>Throws <see cref="NftablesException"/> with the errno when the socket cannot be opened.</summary>
    public static void EnsureAvailable()
    {
        var fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new NftablesException($"cannot open a netfilter netlink socket: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        close(fd);
    }
}
