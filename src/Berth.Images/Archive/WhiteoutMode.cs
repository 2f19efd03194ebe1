namespace Berth.Images.Archive;

/// <summary>How a layer's deletions (OCI whiteouts) are applied to the directory it unpacks into.</summary>
public enum WhiteoutMode
{
    /// <summary>Kept as overlayfs expects in an upper directory: a 0:0 character device for a deleted
    /// path, and the <c>trusted.overlay.opaque</c> attribute on a directory that hides its lower content.</summary>
    Overlay,

    /// <summary>Carried out: the directory holds a full copy of the parent, and deleted paths are removed.</summary>
    Delete,
}
