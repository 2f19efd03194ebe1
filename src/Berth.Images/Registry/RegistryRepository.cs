using System.Net;
using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>Where a repository lives on a registry: its base URL (<c>https://host/</c>) and its path there.</summary>
internal sealed record RegistryRepository(Uri BaseUri, string Path)
{
    private const string DockerHubHost = "registry-1.docker.io";

    /// <summary>
    /// A first guess without the daemon's settings: Docker Hub names go to registry-1.docker.io,
    /// loopback hosts over plain HTTP, others over HTTPS. Pulls use <see cref="Transport.RegistryEndpoints"/>,
    /// which honours insecure-registries and mirrors and falls back from HTTPS to HTTP.
    /// </summary>
    public static RegistryRepository For(ImageReference reference)
    {
        var host = reference.Domain == ImageReference.DefaultDomain ? DockerHubHost : reference.Domain;
        var scheme = IsLoopback(host) ? "http" : "https";
        return new RegistryRepository(new Uri($"{scheme}://{host}/"), reference.Path);
    }

    public Uri ManifestUri(string tagOrDigest) => new(BaseUri, $"v2/{Path}/manifests/{tagOrDigest}");

    public Uri TagsUri() => new(BaseUri, $"v2/{Path}/tags/list");

    public Uri BlobUri(Digest digest) => new(BaseUri, $"v2/{Path}/blobs/{digest}");

    internal static bool IsLoopback(string hostAndPort)
    {
        var host = hostAndPort;
        if (host.StartsWith('['))
            host = host[1..host.IndexOf(']')];
        else if (host.LastIndexOf(':') is var colon and > 0)
            host = host[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}
