namespace Berth.Images.Registry.Transport;

/// <summary>
/// One place to try for a registry: its base URL, whether TLS is verified there, and whether it
/// is a Docker Hub mirror (on any error from a mirror the next endpoint is tried).
/// </summary>
public sealed record RegistryEndpoint(Uri BaseUri, bool SkipTlsVerify, bool IsMirror)
{
    /// <summary><c>host:port</c> as certs.d names its directories (the port only when the URL has one).</summary>
    public string HostAndPort => BaseUri.IsDefaultPort ? BaseUri.Host : BaseUri.Authority;

    public bool IsHttps => BaseUri.Scheme == Uri.UriSchemeHttps;

    internal RegistryRepository Repository(string path) => new(BaseUri, path);
}
