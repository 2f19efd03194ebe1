namespace Berth.Images.Archive;

/// <summary>The OCI whiteout naming convention, shared by unpacking and exporting.</summary>
public static class Whiteouts
{
    public const string Prefix = ".wh.";
    public const string MetaPrefix = ".wh..wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string OverlayOpaqueXattr = "trusted.overlay.opaque";
}
