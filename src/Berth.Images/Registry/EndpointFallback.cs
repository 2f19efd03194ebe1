using Berth.Api.Errors;
using Berth.Images.Registry.Transport;

namespace Berth.Images.Registry;

/// <summary>
/// Runs an operation against a registry's endpoints in order (see <see cref="RegistryEndpoints"/>),
/// as dockerd's pull does: an endpoint whose <c>/v2/</c> cannot be reached, and a mirror that fails
/// in any way, pass the operation to the next; the last failure is the one reported.
/// </summary>
internal static class EndpointFallback
{
    /// <param name="mirrors">False for a push, which goes to the registry itself, never to a mirror (as in dockerd).</param>
    public static async Task<T> RunAsync<T>(RegistryTransport transport, string domain, RegistryCredentials credentials,
        Func<RegistryClient, RegistryEndpoint, Task<T>> operation, CancellationToken ct, bool mirrors = true)
    {
        BerthException? last = null;
        foreach (var endpoint in await RegistryEndpoints.ForAsync(transport, domain, ct).ConfigureAwait(false))
        {
            if (endpoint.IsMirror && !mirrors) continue;
            var client = new RegistryClient(transport.ClientFor(endpoint), credentials);
            var ping = await client.PingAsync(endpoint.BaseUri, authenticate: false, ct).ConfigureAwait(false);
            if (!ping.Reached)
            {
                last = ping.Failure;
                continue;
            }
            try
            {
                return await operation(client, endpoint).ConfigureAwait(false);
            }
            catch (BerthException e) when (endpoint.IsMirror && !ct.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw last ?? BerthException.System($"no endpoints found for {domain}");
    }
}
