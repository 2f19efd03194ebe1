using System.Net;

namespace Berth.Daemon.Configuration;

/// <summary>One <c>-H</c> address: a unix socket path or a TCP endpoint, parsed as dockerd parses them.</summary>
public sealed record HostAddress(string? SocketPath, IPEndPoint? Tcp)
{
    public const string DefaultSocket = "/run/berth/berth.sock";

    public static HostAddress Parse(string value)
    {
        var text = value.Trim();
        if (text.Length == 0 || text == "unix://") return new HostAddress(DefaultSocket, null);
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            if (!path.StartsWith('/')) throw new FormatException($"invalid unix socket address {value}: the path must be absolute");
            return new HostAddress(path, null);
        }
        if (text.StartsWith("fd://", StringComparison.Ordinal) || text.StartsWith("npipe://", StringComparison.Ordinal) || text.StartsWith("ssh://", StringComparison.Ordinal))
            throw new FormatException($"{value}: this kind of address is not supported by berthd (use unix:// or tcp://)");
        if (text.StartsWith("tcp://", StringComparison.Ordinal)) text = text["tcp://".Length..];
        else if (text.Contains("://", StringComparison.Ordinal)) throw new FormatException($"Invalid bind address format: {value}");
        text = text.TrimEnd('/');
        var colon = text.LastIndexOf(':');
        var hostPart = colon < 0 ? text : text[..colon];
        var portPart = colon < 0 ? "" : text[(colon + 1)..];
        if (portPart.Length == 0) portPart = "2375";
        if (!ushort.TryParse(portPart, out var port) || port == 0) throw new FormatException($"Invalid bind address format: {value}");
        hostPart = hostPart.Trim('[', ']');
        IPAddress address;
        if (hostPart.Length == 0 || hostPart == "0.0.0.0") address = IPAddress.Any;
        else if (hostPart == "localhost") address = IPAddress.Loopback;
        else if (!IPAddress.TryParse(hostPart, out address!)) throw new FormatException($"Invalid bind address format: {value} (use an IP address)");
        return new HostAddress(null, new IPEndPoint(address, port));
    }

    public override string ToString() => SocketPath is not null ? $"unix://{SocketPath}" : $"tcp://{Tcp}";
}
