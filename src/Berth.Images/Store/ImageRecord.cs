using Berth.Images.Digests;
using Berth.Images.Layers;

namespace Berth.Images.Store;

/// <summary>An image in the store: its ID (the digest of its configuration), the parsed configuration and local metadata.</summary>
public sealed record ImageRecord(Digest Id, ImageConfigDocument Config, ImageMetadataRecord Metadata)
{
    public IReadOnlyList<Digest> DiffIds { get; } = Config.RootFs.DiffIds.Select(Digest.Parse).ToList();

    /// <summary>The chain IDs of the image's layers, bottom first.</summary>
    public IReadOnlyList<Digest> ChainIds { get; } = ChainId.OfStack(Config.RootFs.DiffIds.Select(Digest.Parse));

    /// <summary>The chain ID of the top layer, or null for an image without layers.</summary>
    public Digest? TopLayer => ChainIds.Count == 0 ? null : ChainIds[^1];

    public DateTimeOffset? Created => Config.Created is { } c && DateTimeOffset.TryParse(c, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public Digest? Parent => Metadata.Parent is { } p && Digest.TryParse(p, out var d) ? d : null;
}
