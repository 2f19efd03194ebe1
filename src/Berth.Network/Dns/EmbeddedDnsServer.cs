using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Dns;

/// <summary>
/// Docker's embedded DNS server (the resolver at 127.0.0.11 in each container on a user-defined network):
/// answers the names <see cref="IDnsRecords"/> knows and forwards the rest to the host's resolvers.
/// One instance can serve any number of containers, each through its own <see cref="ServeAsync"/> call.
/// </summary>
public sealed class EmbeddedDnsServer(ILogger? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>How long each upstream has to answer a forwarded query before the next is tried.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a TCP connection may sit without a new query before it is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Serves queries arriving on <paramref name="udp"/> (bound) and <paramref name="tcp"/> (bound and listening)
    /// until <paramref name="ct"/> is cancelled or both sockets are closed; it then waits for queries in progress
    /// (which see the cancellation) and returns without throwing. The sockets stay the caller's to dispose.
    /// Malformed packets get FORMERR or are dropped; nothing a client sends ends the serving.
    /// </summary>
    public async Task ServeAsync(Socket udp, Socket tcp, IDnsRecords records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(udp);
        ArgumentNullException.ThrowIfNull(tcp);
        ArgumentNullException.ThrowIfNull(records);
        var handler = new DnsQueryHandler(records, new DnsForwarder(UpstreamTimeout, logger), logger);
        await Task.WhenAll(
            new DnsUdpListener(udp, handler, logger).RunAsync(ct),
            new DnsTcpListener(tcp, handler, TcpIdleTimeout, logger).RunAsync(ct));
    }
}
