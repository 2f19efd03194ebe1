using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>Which socket errors a serving loop outlives; any other one means the socket is closed or unusable.</summary>
internal static class SocketErrors
{
    public static bool IsTransient(SocketError error) => error is
        SocketError.ConnectionReset
        or SocketError.ConnectionAborted
        or SocketError.ConnectionRefused
        or SocketError.MessageSize
        or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable
        or SocketError.NoBufferSpaceAvailable
        or SocketError.TooManyOpenSockets;
}
