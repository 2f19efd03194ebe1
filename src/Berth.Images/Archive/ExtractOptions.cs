namespace Berth.Images.Archive;

/// <summary>
/// How <see cref="LayerApplier"/> treats an archive that is not an image layer: what
/// <c>docker cp</c> extracts into a container (dockerd's <c>Untar</c> rather than <c>ApplyLayer</c>).
/// </summary>
public sealed record ExtractOptions
{
    /// <summary>An image layer: whiteouts delete, owners come from the archive.</summary>
    public static readonly ExtractOptions Layer = new();

    /// <summary>False for plain archives, where <c>.wh.</c> names are ordinary files.</summary>
    public bool ApplyWhiteouts { get; init; } = true;

    /// <summary>False to skip an entry for the extraction directory itself, which then keeps its owner, mode and time.</summary>
    public bool ApplyRootEntry { get; init; } = true;

    /// <summary>Refuse to replace a directory with a non-directory or the reverse.</summary>
    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>When set, every entry gets this owner instead of the archive's.</summary>
    public (int Uid, int Gid)? Owner { get; init; }

    /// <summary>Where the extraction root is, as messages name it (a path in the container); null for a layer.</summary>
    public string? DestinationName { get; init; }

    /// <summary>Host paths that are mount points in the container: replacing one fails, as unlinking a mount point does.</summary>
    public IReadOnlySet<string>? MountPoints { get; init; }

    internal string RootName => DestinationName is null ? "the archive's root" : $"\"{DestinationName}\"";

    internal string DisplayPath(string relative)
    {
        var root = DestinationName ?? "/";
        return relative.Length == 0 ? root : root.TrimEnd('/') + "/" + relative;
    }
}
