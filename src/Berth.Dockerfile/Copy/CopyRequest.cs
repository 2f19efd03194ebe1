namespace Berth.Dockerfile;

/// <summary>
/// One COPY or ADD: the context directory, the sources as written (after variable expansion), the destination as an
/// absolute path in the image (see <see cref="CopyPlanner.NormalizeDestination"/>), whether it already is a directory there,
/// the --chown identity (null: root), a --chmod mode, whether local archives are extracted (ADD), and .dockerignore.
/// </summary>
public sealed record CopyRequest(string SourceRoot, IReadOnlyList<string> Sources, string Destination, bool DestinationIsExistingDirectory,
    int? Uid, int? Gid, int? Mode, bool ExtractArchives /* ADD */, DockerIgnore? Ignore)
{
    /// <summary>The instruction named in messages; ADD when archives are extracted, else COPY.</summary>
    public string CommandName { get; init; } = ExtractArchives ? "ADD" : "COPY";

    /// <summary>COPY --from without --chown keeps the sources' owners instead of making everything root's.</summary>
    public bool PreserveOwnership { get; init; }

    /// <summary>COPY --from: <see cref="SourceRoot"/> is another stage's or an image's filesystem, checksummed as dockerd checksums those.</summary>
    public bool FromImage { get; init; }

    /// <summary>ADD of a downloaded URL: never extracted even when it is an archive.</summary>
    public bool SourcesAreDownloads { get; init; }

    /// <summary>
    /// Whether a directory exists in the image, by absolute path. dockerd gives the missing parents of a copied file the
    /// --chown owner (of a copied directory, root); without this the parents are left to the extractor, which makes them root's.
    /// </summary>
    public Func<string, bool>? TargetDirectoryExists { get; init; }

    /// <summary>
    /// Opens a possibly compressed stream (gzip, bzip2, xz…) as the decompressed one, for ADD of local archives; when null
    /// only plain and gzip-compressed tars are recognised.
    /// </summary>
    public Func<Stream, CancellationToken, Task<Stream>>? Decompress { get; init; }
}
