using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Store;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>The image a reference names for this host: the manifest (after a manifest list, if any) and its layers.</summary>
/// <param name="Digest">The digest of what the reference named (the list's, when it named a list), as dockerd records it.</param>
internal sealed record ResolvedManifest(Digest Digest, OciManifest Manifest);

/// <summary>Fetches a reference's manifest, following a manifest list or OCI index to this host's platform.</summary>
internal static class ManifestResolver
{
    public static async Task<ResolvedManifest> ResolveAsync(RegistryClient client, RegistryRepository repository, ImageReference reference, CancellationToken ct)
    {
        var top = await client.GetManifestAsync(repository, reference, ct).ConfigureAwait(false);
        var mediaType = MediaTypeOf(top);
        if (!RegistryMediaTypes.IsIndex(mediaType)) return new ResolvedManifest(top.Digest, ParseManifest(top, mediaType));

        var index = Parse(top.Bytes, ImagesJson.Default.OciIndex);
        var chosen = PlatformSelector.SelectForHost(index);
        if (!Digest.TryParse(chosen.Digest, out var chosenDigest))
            throw BerthException.System($"the registry sent an invalid digest \"{chosen.Digest}\"");
        var platformManifest = await client.GetManifestAsync(repository, reference.NameOnly().WithDigest(chosenDigest), ct).ConfigureAwait(false);
        return new ResolvedManifest(top.Digest, ParseManifest(platformManifest, MediaTypeOf(platformManifest)));
    }

    /// <summary>The Content-Type, or the document's own mediaType field when a registry sends a generic one.</summary>
    internal static string MediaTypeOf(FetchedManifest manifest)
    {
        if (RegistryMediaTypes.IsIndex(manifest.MediaType) || RegistryMediaTypes.IsManifest(manifest.MediaType)) return manifest.MediaType;
        try
        {
            using var document = JsonDocument.Parse(manifest.Bytes);
            if (document.RootElement.TryGetProperty("mediaType", out var field) && field.GetString() is { } declared) return declared;
            if (document.RootElement.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
        }
        catch (JsonException)
        {
            throw BerthException.System("the registry sent a manifest that is not valid JSON");
        }
        return manifest.MediaType;
    }

    private static OciManifest ParseManifest(FetchedManifest fetched, string mediaType)
    {
        if (mediaType is RegistryMediaTypes.DockerSchema1 or RegistryMediaTypes.DockerSchema1Signed)
            throw BerthException.InvalidParameter("Docker Image Format v1 and Docker Image manifest version 2, schema 1 are not supported");
        if (!RegistryMediaTypes.IsManifest(mediaType))
            throw BerthException.InvalidParameter($"unsupported manifest media type {mediaType}");
        var manifest = Parse(fetched.Bytes, ImagesJson.Default.OciManifest);
        foreach (var layer in manifest.Layers)
            if (RegistryMediaTypes.UnsupportedLayerReason(layer.MediaType) is { } reason)
                throw BerthException.NotImplemented(reason);
        return manifest;
    }

    internal static T Parse<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw BerthException.System("the registry sent an empty manifest");
        }
        catch (JsonException e)
        {
            throw BerthException.System($"the registry sent a malformed manifest: {e.Message}");
        }
    }
}
