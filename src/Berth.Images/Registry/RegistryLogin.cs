using System.Net;
using System.Text.RegularExpressions;
using Berth.Api.Errors;
using Berth.Images.References;
using Berth.Images.Registry.Transport;

namespace Berth.Images.Registry;

/// <summary>
/// <c>POST /auth</c>, as dockerd's loginV2 does it: <c>GET /v2/</c> on each of the registry's
/// endpoints (no mirrors) with the credentials offered; an endpoint that cannot be reached passes
/// to the next, any other answer than 200 fails the login naming the URL and status.
/// </summary>
internal sealed partial class RegistryLogin(RegistryTransport transport)
{
    /// <summary>Returns the identity token the registry's token server gave, or "".</summary>
    public async Task<string> LoginAsync(RegistryCredentials credentials, CancellationToken ct)
    {
        var domain = DomainOf(credentials.ServerAddress);
        BerthException? last = null;
        foreach (var endpoint in (await RegistryEndpoints.ForAsync(transport, domain, ct).ConfigureAwait(false)).Where(e => !e.IsMirror))
        {
            var client = new RegistryClient(transport.ClientFor(endpoint), credentials);
            var session = new Auth.LoginSession();
            var ping = await client.PingAsync(endpoint.BaseUri, authenticate: true, ct, session).ConfigureAwait(false);
            if (ping.Failure is { Kind: ErrorKind.Unauthorized } refused) throw refused;
            if (!ping.Reached)
            {
                last = ping.Failure;
                continue;
            }
            if (ping.Status == HttpStatusCode.OK) return session.RefreshToken ?? "";
            throw BerthException.System($"login attempt to {ping.Uri} failed with status: {(int)ping.Status!} {StatusText(ping.Status!.Value)}");
        }
        throw last ?? BerthException.System($"no endpoints found for {domain}");
    }

    /// <summary>dockerd's ConvertToHostname, with Docker Hub's names (and none) meaning docker.io.</summary>
    internal static string DomainOf(string serverAddress)
    {
        var host = serverAddress.Trim();
        foreach (var scheme in (string[])["http://", "https://"])
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) host = host[scheme.Length..];
        if (host.IndexOf('/') is var slash and >= 0) host = host[..slash];
        return host is "" or "index.docker.io" or "registry-1.docker.io" or ImageReference.DefaultDomain ? ImageReference.DefaultDomain : host;
    }

    /// <summary>Go's http.StatusText: <c>Not Found</c> for NotFound.</summary>
    private static string StatusText(HttpStatusCode status) => Words().Replace(status.ToString(), " $1");

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
