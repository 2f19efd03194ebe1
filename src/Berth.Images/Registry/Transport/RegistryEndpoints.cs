using Berth.Images.References;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// Where to look for a registry's repositories, in order, as dockerd's lookupV2Endpoints lists them:
/// for Docker Hub its mirrors, then registry-1.docker.io; for an insecure registry HTTPS without
/// verification, then plain HTTP; otherwise HTTPS alone.
/// </summary>
public static class RegistryEndpoints
{
    public const string DockerHubHost = "registry-1.docker.io";

    /// <param name="domain">A reference's domain: <c>docker.io</c> or <c>host[:port]</c>.</param>
    public static async Task<IReadOnlyList<RegistryEndpoint>> ForAsync(RegistryTransport transport, string domain, CancellationToken ct)
    {
        var endpoints = new List<RegistryEndpoint>();
        var host = domain;
        if (domain == ImageReference.DefaultDomain)
        {
            foreach (var mirror in transport.Settings.Mirrors)
            {
                var uri = new Uri(mirror.TrimEnd('/') + "/");
                var insecure = await transport.Insecure.IsInsecureAsync(uri.IsDefaultPort ? uri.Host : uri.Authority, ct).ConfigureAwait(false);
                endpoints.Add(new RegistryEndpoint(uri, SkipTlsVerify: insecure, IsMirror: true));
            }
            host = DockerHubHost;
        }
        var skipVerify = await transport.Insecure.IsInsecureAsync(host, ct).ConfigureAwait(false);
        endpoints.Add(new RegistryEndpoint(new Uri($"https://{host}/"), SkipTlsVerify: skipVerify, IsMirror: false));
        if (skipVerify) endpoints.Add(new RegistryEndpoint(new Uri($"http://{host}/"), SkipTlsVerify: true, IsMirror: false));
        return endpoints;
    }

    /// <summary>Checks a <c>registry-mirrors</c> entry as dockerd's ValidateMirror does; the message is dockerd's.</summary>
    public static string? ValidateMirror(string mirror)
    {
        if (!Uri.TryCreate(mirror, UriKind.Absolute, out var uri)) return $"invalid mirror: \"{mirror}\" is not a valid URI";
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return $"invalid mirror: unsupported scheme \"{uri.Scheme}\" in \"{mirror}\"";
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return $"invalid mirror: path, query, or fragment at end of the URI \"{mirror}\"";
        if (uri.UserInfo.Length > 0) return $"invalid mirror: username/password not allowed in URI \"{mirror}\"";
        return null;
    }
}
