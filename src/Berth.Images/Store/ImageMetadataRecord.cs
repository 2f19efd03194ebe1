namespace Berth.Images.Store;

/// <summary>What the daemon knows of an image beyond its configuration.</summary>
public sealed class ImageMetadataRecord
{
    /// <summary>The image this one was committed or built on, if any.</summary>
    public string? Parent { get; set; }
    public DateTimeOffset? LastTagTime { get; set; }
}
