using System.Net;
using Berth.Api.Errors;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>What a failed registry request means to the user, in dockerd's words (its translatePullError).</summary>
internal static class RegistryFailures
{
    public static BerthException ForManifest(ImageReference reference, HttpStatusCode status, RegistryError? error) => error?.Code switch
    {
        RegistryError.ManifestUnknown => BerthException.NotFound($"manifest for {reference.FamiliarString} not found: {error}"),
        RegistryError.NameUnknown => BerthException.NotFound($"repository {reference.FamiliarName} not found: {error}"),
        RegistryError.Denied => BerthException.NotFound(
            $"pull access denied for {reference.FamiliarName}, repository does not exist or may require 'docker login': {error}"),
        _ when status == HttpStatusCode.NotFound =>
            BerthException.NotFound($"manifest for {reference.FamiliarString} not found: manifest unknown: manifest unknown"),
        _ => Other(reference.FamiliarString, status, error),
    };

    public static BerthException ForBlob(string what, HttpStatusCode status, RegistryError? error) =>
        status == HttpStatusCode.NotFound
            ? BerthException.NotFound($"{what} not found: {error?.ToString() ?? "blob unknown: blob unknown to registry"}")
            : Other(what, status, error);

    private static BerthException Other(string what, HttpStatusCode status, RegistryError? error)
    {
        // The registry's own words when it sends them, as dockerd passes errcode errors on: "unauthorized: authentication required".
        return status switch
        {
            HttpStatusCode.Unauthorized => BerthException.Unauthorized(error?.ToString() ?? "unauthorized: authentication required"),
            HttpStatusCode.Forbidden => BerthException.Forbidden(error?.ToString() ?? "denied: requested access to the resource is denied"),
            _ => BerthException.System($"error from registry for {what}: {error?.ToString() ?? $"unexpected status {(int)status} {status}"}"),
        };
    }
}
