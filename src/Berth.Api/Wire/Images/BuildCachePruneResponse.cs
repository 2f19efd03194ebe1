namespace Berth.Api.Wire.Images;

/// <summary>The answer to <c>POST /build/prune</c>.</summary>
public sealed class BuildCachePruneResponse
{
    /// <summary>The IDs of the cache records removed; null when none, as dockerd writes it.</summary>
    public List<string>? CachesDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}
