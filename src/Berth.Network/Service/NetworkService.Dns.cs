using System.Net;
using Berth.Network.Dns;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    /// <summary>Serves the embedded DNS of a sandbox on sockets bound inside its namespace, until the sandbox is released.</summary>
    private void StartDns(Sandbox sandbox, DnsSockets sockets)
    {
        var stop = new CancellationTokenSource();
        sandbox.Dns = stop;
        sandbox.Resources.Add(sockets);
        var records = new SandboxDnsRecords(this, sandbox);
        var server = new EmbeddedDnsServer(logger);
        _ = Task.Run(async () =>
        {
            try
            {
                await server.ServeAsync(sockets.Udp, sockets.Tcp, records, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The embedded DNS of container {Id} stopped: {Message}", sandbox.ContainerId, e.Message);
            }
        });
    }

    /// <summary>What one container's DNS answers: names on the user-defined networks it shares with others.</summary>
    private sealed class SandboxDnsRecords(NetworkService service, Sandbox sandbox) : IDnsRecords
    {
        public IReadOnlyList<IPAddress> LookupName(string name)
        {
            var addresses = new List<IPAddress>();
            lock (service.gate)
            {
                foreach (var own in sandbox.Endpoints)
                {
                    if (service.networks.GetValueOrDefault(own.NetworkId) is not { HasEmbeddedDns: true } network) continue;
                    var suffix = "." + network.Name.ToLowerInvariant();
                    var bare = name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
                    // A link's alias names the linked container, for this container only.
                    foreach (var (alias, target) in own.LinkAliases)
                        if (string.Equals(alias, bare, StringComparison.OrdinalIgnoreCase)) bare = target.ToLowerInvariant();
                    foreach (var other in service.sandboxes.Values)
                        foreach (var endpoint in other.Endpoints)
                            if (endpoint.NetworkId == own.NetworkId && Answers(endpoint, name, bare) && !addresses.Contains(endpoint.Address))
                                addresses.Add(endpoint.Address);
                }
            }
            return addresses;
        }

        private static bool Answers(Endpoint endpoint, string name, string bare) =>
            string.Equals(endpoint.ContainerName, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(endpoint.ContainerName, bare, StringComparison.OrdinalIgnoreCase)
            || endpoint.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase) || string.Equals(a, bare, StringComparison.OrdinalIgnoreCase));

        public string? LookupAddress(IPAddress address)
        {
            lock (service.gate)
            {
                foreach (var own in sandbox.Endpoints)
                {
                    if (service.networks.GetValueOrDefault(own.NetworkId) is not { HasEmbeddedDns: true } network) continue;
                    foreach (var other in service.sandboxes.Values)
                        foreach (var endpoint in other.Endpoints)
                            if (endpoint.NetworkId == own.NetworkId && endpoint.Address.Equals(address))
                                return endpoint.ContainerName + "." + network.Name;
                }
            }
            return null;
        }

        public IReadOnlyList<IPEndPoint> Upstreams => sandbox.DnsUpstreams;
    }
}
