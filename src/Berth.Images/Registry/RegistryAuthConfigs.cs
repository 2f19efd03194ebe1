using System.Text;
using System.Text.Json;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>
/// The credentials a build carries for every registry it may pull a base image from: the
/// <c>X-Registry-Config</c> header, base64url JSON mapping registry addresses (<c>localhost:5000</c>,
/// <c>https://index.docker.io/v1/</c>) to AuthConfigs, as the docker CLI and docker-py send it.
/// </summary>
public sealed class RegistryAuthConfigs
{
    public static readonly RegistryAuthConfigs None = new(new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase));

    private readonly Dictionary<string, RegistryCredentials> _byDomain;

    private RegistryAuthConfigs(Dictionary<string, RegistryCredentials> byDomain) => _byDomain = byDomain;

    /// <summary>A missing or undecodable header means no credentials, as dockerd treats it.</summary>
    public static RegistryAuthConfigs FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return None;
        try
        {
            using var document = JsonDocument.Parse(RegistryCredentials.DecodeBase64Url(header));
            if (document.RootElement.ValueKind != JsonValueKind.Object) return None;
            var byDomain = new Dictionary<string, RegistryCredentials>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in document.RootElement.EnumerateObject())
                if (entry.Value.ValueKind == JsonValueKind.Object)
                    byDomain[DomainOf(entry.Name)] = RegistryCredentials.FromJson(Encoding.UTF8.GetBytes(entry.Value.GetRawText()));
            return new RegistryAuthConfigs(byDomain);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return None;
        }
    }

    /// <summary>The credentials for the registry <paramref name="reference"/> lives on, or anonymous.</summary>
    public RegistryCredentials For(ImageReference reference) =>
        _byDomain.GetValueOrDefault(DomainOf(reference.Domain)) ?? RegistryCredentials.Anonymous;

    /// <summary>A registry address as its bare host and port, Docker Hub's several names as one.</summary>
    internal static string DomainOf(string address)
    {
        var host = address.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        return host.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" or "docker.io" ? ImageReference.DefaultDomain : host.ToLowerInvariant();
    }
}
