using Berth.Api;
using Berth.Api.Errors;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>Picks the manifest for this host (linux and the daemon's architecture) from a manifest list or OCI index.</summary>
internal static class PlatformSelector
{
    public static OciDescriptor Select(OciIndex index, string os, string architecture)
    {
        var candidates = index.Manifests
            .Where(m => m.Platform is { } p && p.Os == os && p.Architecture == architecture)
            .ToList();
        // On arm64 an entry may say v8 or nothing; either fits. Elsewhere the first match wins, as in dockerd.
        var chosen = candidates.FirstOrDefault(m => architecture != "arm64" || m.Platform!.Variant is null or "" or "v8");
        return chosen ?? throw BerthException.NotFound($"no matching manifest for {os}/{architecture} in the manifest list entries");
    }

    public static OciDescriptor SelectForHost(OciIndex index) => Select(index, HostPlatform.Os, HostPlatform.Architecture);
}
