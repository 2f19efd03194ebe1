using System.Text;
using Berth.Images.Digests;

namespace Berth.Images.Layers;

/// <summary>
/// A layer's identity in a stack: the first layer's chain ID is its diff ID; each next one is
/// <c>sha256(parentChainID + " " + diffID)</c>, so equal stacks share their layers.
/// </summary>
public static class ChainId
{
    public static Digest Of(Digest? parent, Digest diffId) =>
        parent is { } p ? Digest.Sha256(Encoding.ASCII.GetBytes($"{p} {diffId}")) : diffId;

    /// <summary>The chain IDs of a stack of diff IDs, bottom first.</summary>
    public static IReadOnlyList<Digest> OfStack(IEnumerable<Digest> diffIds)
    {
        var result = new List<Digest>();
        Digest? parent = null;
        foreach (var diffId in diffIds)
        {
            parent = Of(parent, diffId);
            result.Add(parent.Value);
        }
        return result;
    }
}
