using System.Net.Sockets;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// Connection failures in Go's words, as dockerd reports them (<c>dial tcp 127.0.0.1:5000: connect:
/// connection refused</c>), rather than .NET's (<c>Connection refused (127.0.0.1:5000)</c>).
/// </summary>
internal static class TransportErrors
{
    public static string Describe(HttpRequestException e, Uri? uri)
    {
        if (e.InnerException is not SocketException socket || uri is null) return e.Message;
        var address = $"{uri.Host}:{uri.Port}";
        return socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"dial tcp {address}: connect: connection refused",
            SocketError.NetworkUnreachable => $"dial tcp {address}: connect: network is unreachable",
            SocketError.HostUnreachable => $"dial tcp {address}: connect: no route to host",
            SocketError.TimedOut => $"dial tcp {address}: i/o timeout",
            SocketError.HostNotFound or SocketError.NoData => $"dial tcp: lookup {uri.Host}: no such host",
            SocketError.TryAgain => $"dial tcp: lookup {uri.Host}: temporary failure in name resolution",
            _ => e.Message,
        };
    }
}
