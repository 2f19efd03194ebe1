using Berth.Images.Digests;

namespace Berth.Images.Layers;

/// <summary>A registered layer: its place in a stack, its content digest, and its sizes.</summary>
/// <param name="Size">Bytes the layer adds on disk (files and symlinks, as dockerd counts them).</param>
/// <param name="TarSize">Length of the layer's uncompressed tar, which <c>save</c> rebuilds.</param>
public sealed record LayerRecord(Digest ChainId, Digest DiffId, Digest? Parent, long Size, long TarSize)
{
    /// <summary>The snapshot that holds this layer's files.</summary>
    public string SnapshotKey => ChainId.ToString();
}
