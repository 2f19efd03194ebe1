namespace Berth.Network.Netlink;

/// <summary>The kernel refused a netlink request; <see cref="Errno"/> is its positive errno.</summary>
public sealed class NetlinkException(string operation, int errno, string? kernelMessage)
    : IOException($"{operation}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}{(string.IsNullOrEmpty(kernelMessage) ? "" : " (" + kernelMessage + ")")}")
{
    public int Errno { get; } = errno;
}
