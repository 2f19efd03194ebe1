using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>The manifest and layer media types a pull understands, and how each layer blob is compressed.</summary>
internal static class RegistryMediaTypes
{
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    public static readonly string[] ManifestAccept =
        [MediaTypes.DockerManifest, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.OciIndex];

    public static bool IsIndex(string mediaType) => mediaType is MediaTypes.DockerManifestList or MediaTypes.OciIndex;

    public static bool IsManifest(string mediaType) => mediaType is MediaTypes.DockerManifest or MediaTypes.OciManifest;

    /// <summary>Null when a layer of this type can be unpacked; otherwise why not.</summary>
    public static string? UnsupportedLayerReason(string mediaType) => mediaType switch
    {
        DockerLayerGzip or MediaTypes.OciLayerGzip or MediaTypes.OciLayer => null,
        OciLayerZstd => "layers compressed with zstd are not supported yet",
        DockerForeignLayer => "foreign (non-distributable) layers are not supported",
        _ => $"unsupported layer media type {mediaType}",
    };
}
