using System.Net;
using System.Net.Sockets;
using Berth.Api.Errors;

namespace Berth.Network.Service;

/// <summary>
/// Holds a published host port: a socket bound (never listening) to it, so no other program on
/// the host can take it while the container has it, and a port taken already is found at start,
/// as dockerd's proxy finds it. The traffic itself is redirected by nftables before it reaches
/// the socket.
/// </summary>
internal sealed class PortReservation : IDisposable
{
    private readonly Socket socket;

    private PortReservation(Socket socket, BoundPort binding)
    {
        this.socket = socket;
        Binding = binding;
    }

    public BoundPort Binding { get; }

    /// <summary>Binds the first free port of the request's range (any free port when it asks for none).</summary>
    public static PortReservation Take(PortRequest request, Func<string, IPAddress, int, bool> takenByContainer, string endpointDescription)
    {
        if (request.HostPort == 0) return Bind(request, 0, endpointDescription);
        var last = Math.Max(request.HostPort, request.HostPortEnd);
        BerthException? failure = null;
        for (var port = request.HostPort; port <= last; port++)
        {
            if (takenByContainer(request.Protocol, request.HostIp, port))
            {
                failure = BerthException.System($"driver failed programming external connectivity on endpoint {endpointDescription}: Bind for {request.HostIp}:{port} failed: port is already allocated");
                continue;
            }
            try
            {
                return Bind(request, port, endpointDescription);
            }
            catch (BerthException e) when (port < last)
            {
                failure = e;
            }
        }
        throw failure!;
    }

    private static PortReservation Bind(PortRequest request, int port, string endpointDescription)
    {
        var tcp = request.Protocol == "tcp";
        var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(request.HostIp, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var reason = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : e.Message.ToLowerInvariant();
            throw BerthException.System($"driver failed programming external connectivity on endpoint {endpointDescription}: Error starting userland proxy: listen {request.Protocol}4 {request.HostIp}:{port}: bind: {reason}");
        }
        var bound = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return new PortReservation(socket, new BoundPort(request.Protocol, request.ContainerPort, request.HostIp, bound));
    }

    public void Dispose() => socket.Dispose();
}
