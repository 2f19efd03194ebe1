using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Wire.Registry;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Registry.Transport;
using Berth.Images.Store;

namespace Berth.Images.Registry;

/// <summary>
/// <c>GET /distribution/{name}/json</c>: the descriptor of what the registry holds for a reference
/// and its platforms, from a manifest list's entries or a single image's configuration.
/// </summary>
internal sealed class DistributionInspector(RegistryTransport transport)
{
    private const long MaxConfigBytes = 8 * 1024 * 1024;

    public async Task<DistributionInspect> InspectAsync(string name, RegistryCredentials credentials, CancellationToken ct)
    {
        var reference = ImageReference.ParseNormalized(name).WithDefaultTag();
        return await EndpointFallback.RunAsync(transport, reference.Domain, credentials,
            (client, endpoint) => InspectAtAsync(client, endpoint.Repository(reference.Path), reference, ct), ct).ConfigureAwait(false);
    }

    private static async Task<DistributionInspect> InspectAtAsync(RegistryClient client, RegistryRepository repository, ImageReference reference, CancellationToken ct)
    {
        FetchedManifest top;
        try
        {
            top = await client.GetManifestAsync(repository, reference, ct).ConfigureAwait(false);
        }
        catch (DigestMismatchException e)
        {
            throw BerthException.System(e.Message);
        }
        var mediaType = ManifestResolver.MediaTypeOf(top);
        var descriptor = new DistributionDescriptor { MediaType = mediaType, Digest = top.Digest.ToString(), Size = top.Bytes.Length };
        if (RegistryMediaTypes.IsIndex(mediaType))
        {
            var index = ManifestResolver.Parse(top.Bytes, ImagesJson.Default.OciIndex);
            return new DistributionInspect
            {
                Descriptor = descriptor,
                Platforms = index.Manifests.Where(m => m.Platform is not null)
                    .Select(m => new DistributionPlatform { Architecture = m.Platform!.Architecture, Os = m.Platform.Os, Variant = m.Platform.Variant }).ToList(),
            };
        }
        var manifest = ManifestResolver.Parse(top.Bytes, ImagesJson.Default.OciManifest);
        var platforms = new List<DistributionPlatform>();
        if (Digest.TryParse(manifest.Config.Digest, out var configDigest))
        {
            byte[] config;
            try
            {
                config = await client.GetSmallBlobAsync(repository, configDigest, MaxConfigBytes, ct).ConfigureAwait(false);
            }
            catch (DigestMismatchException e)
            {
                throw BerthException.System(e.Message);
            }
            if (PlatformOf(config) is { } platform) platforms.Add(platform);
        }
        return new DistributionInspect { Descriptor = descriptor, Platforms = platforms };
    }

    /// <summary>The configuration's platform fields, as dockerd reads them; none when it names neither OS nor architecture.</summary>
    private static DistributionPlatform? PlatformOf(byte[] config)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            string? Text(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
            var features = root.TryGetProperty("os.features", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : null;
            var os = Text("os");
            var architecture = Text("architecture");
            if (os is null && architecture is null) return null;
            return new DistributionPlatform
            {
                Architecture = architecture ?? "", Os = os ?? "", OsVersion = Text("os.version"),
                OsFeatures = features is { Count: > 0 } ? features : null, Variant = Text("variant"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
