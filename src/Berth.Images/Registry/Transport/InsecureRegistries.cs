using System.Net;
using System.Net.Sockets;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// Which registries are spoken to without verifying TLS (falling back to plain HTTP), decided as
/// dockerd's isSecureIndex does: a configured <c>host[:port]</c> by its exact name, otherwise by
/// whether any address the host resolves to lies in an insecure CIDR (127.0.0.0/8 always).
/// </summary>
internal sealed class InsecureRegistries
{
    private static readonly IPNetwork Loopback = IPNetwork.Parse("127.0.0.0/8");
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [Loopback];
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="entries">daemon.json's <c>insecure-registries</c>; an <c>http://</c> or <c>https://</c> prefix is dropped, as dockerd drops it.</param>
    /// <param name="resolve">Looks a host name up (DNS by default).</param>
    public InsecureRegistries(IEnumerable<string> entries, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
        foreach (var entry in entries)
        {
            var value = Normalize(entry);
            if (IPNetwork.TryParse(value, out var network)) _networks.Add(network);
            else _names.Add(value);
        }
    }

    /// <summary>Checks an entry the way dockerd checks its configuration; the message is dockerd's.</summary>
    public static string? Validate(string entry)
    {
        var value = Normalize(entry);
        if (value.Contains("://", StringComparison.Ordinal)) return $"insecure registry {entry} should not contain '://'";
        if (IPNetwork.TryParse(value, out _)) return null;
        return Uri.CheckHostName(HostOf(value)) == UriHostNameType.Unknown || value.Contains('/')
            ? $"insecure registry {entry} is not valid: invalid host \"{value}\""
            : null;
    }

    public async Task<bool> IsInsecureAsync(string hostAndPort, CancellationToken ct)
    {
        if (_names.Contains(hostAndPort)) return true;
        var host = HostOf(hostAndPort);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            try
            {
                addresses = await _resolve(host, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                addresses = [];
            }
        }
        return addresses.Any(a => _networks.Any(n => n.Contains(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)));
    }

    internal static string Normalize(string entry)
    {
        var value = entry.Trim();
        foreach (var scheme in (string[])["http://", "https://"])
            if (value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return value[scheme.Length..];
        return value;
    }

    /// <summary>The host of <c>host</c>, <c>host:port</c>, <c>[v6]</c> or <c>[v6]:port</c>.</summary>
    internal static string HostOf(string hostAndPort)
    {
        if (hostAndPort.StartsWith('[') && hostAndPort.IndexOf(']') is var close and > 0) return hostAndPort[1..close];
        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0 && hostAndPort.IndexOf(':') == colon ? hostAndPort[..colon] : hostAndPort;
    }
}
