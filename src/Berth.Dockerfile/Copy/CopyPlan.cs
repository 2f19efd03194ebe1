using System.Formats.Tar;
using Berth.Api;

namespace Berth.Dockerfile;

/// <summary>
/// A checked COPY/ADD: its cache checksum, and the tar of what it writes into the image, with paths relative to the
/// image's root. Ownership follows dockerd: everything copied is root's or the --chown identity's; a destination directory
/// that did not exist is created 0755 for a directory source (its missing parents root's), and a copied file's missing
/// parents get the --chown owner; a local archive under ADD is extracted as it is (its own owners, --chown ignored).
/// </summary>
public sealed class CopyPlan
{
    private readonly CopyRequest _request;
    private readonly BuildContext _context;
    private readonly IReadOnlyList<CopySource> _sources;

    internal CopyPlan(CopyRequest request, BuildContext context, IReadOnlyList<CopySource> sources, string checksum)
    {
        _request = request;
        _context = context;
        _sources = sources;
        Checksum = checksum;
    }

    /// <summary><c>file:&lt;sha256&gt;</c>, <c>dir:&lt;sha256&gt;</c> or <c>multi:&lt;sha256&gt;</c>, as in dockerd's history.</summary>
    public string Checksum { get; }

    /// <summary>Writes the tar stream the builder extracts at the image's root.</summary>
    public async Task WriteTarAsync(Stream output, CancellationToken ct)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var emitted = new HashSet<string>(StringComparer.Ordinal);
            var destination = GoPath.Clean(_request.Destination);
            var destinationExists = _request.DestinationIsExistingDirectory || destination == "/";
            foreach (var source in _sources)
            {
                ct.ThrowIfCancellationRequested();
                if (source.Status.IsDirectory)
                {
                    if (!destinationExists) await WriteCreatedDirectoryAsync(writer, destination, _request.PreserveOwnership ? (0, 0) : Identity, ct).ConfigureAwait(false);
                    destinationExists = true;
                    var linked = new Dictionary<FileIdentity, string>();
                    foreach (var (relative, status) in _context.Walk(source.Resolved))
                    {
                        var inside = source.Resolved == "." ? relative : relative[(source.Resolved.Length + 1)..];
                        var placed = Join(destination, inside);
                        if (status.IsHardLinked && linked.TryGetValue(status.Identity, out var first))
                            await WriteHardLinkAsync(writer, placed, first, ct).ConfigureAwait(false);
                        else
                            await WriteEntryAsync(writer, relative, status, placed, ct).ConfigureAwait(false);
                        if (status.IsHardLinked) linked.TryAdd(status.Identity, placed);
                    }
                    continue;
                }
                var full = _context.FullPath(source.Resolved);
                if (_request.ExtractArchives && !_request.SourcesAreDownloads && await LocalArchive.IsArchiveAsync(full, _request.Decompress, ct).ConfigureAwait(false))
                {
                    if (!destinationExists) await WriteCreatedDirectoryAsync(writer, destination, (0, 0), ct).ConfigureAwait(false);
                    destinationExists = true;
                    await LocalArchive.CopyEntriesAsync(full, _request.Decompress, writer, destination, ct).ConfigureAwait(false);
                    continue;
                }
                var target = _request.Destination.EndsWith('/') || destinationExists ? Join(destination, source.Name) : destination;
                await WriteMissingParentsAsync(writer, target, emitted, ct).ConfigureAwait(false);
                await WriteEntryAsync(writer, source.Resolved, source.Status, target, ct).ConfigureAwait(false);
            }
        }
    }

    private (int Uid, int Gid) Identity => (_request.Uid ?? 0, _request.Gid ?? 0);

    private static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    private static string TarName(string absolute) => absolute.TrimStart('/');

    private static async Task WriteCreatedDirectoryAsync(TarWriter writer, string path, (int Uid, int Gid) owner, CancellationToken ct)
    {
        var entry = new PaxTarEntry(TarEntryType.Directory, TarName(path))
        {
            Mode = (UnixFileMode)0b111_101_101,
            Uid = owner.Uid,
            Gid = owner.Gid,
            ModificationTime = DateTimeOffset.UtcNow,
        };
        await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
    }

    /// <summary>A file's missing parents are created 0755 for the --chown owner (root's need no entry: the extractor creates those).</summary>
    private async Task WriteMissingParentsAsync(TarWriter writer, string target, HashSet<string> emitted, CancellationToken ct)
    {
        if (_request.PreserveOwnership || Identity == (0, 0) || _request.TargetDirectoryExists is not { } exists) return;
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = "";
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path += "/" + parts[i];
            if (emitted.Contains(path) || exists(path)) continue;
            emitted.Add(path);
            await WriteCreatedDirectoryAsync(writer, path, Identity, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A second name of a file copied in the same directory stays a hard link, as dockerd's tar copy keeps it.</summary>
    private static async Task WriteHardLinkAsync(TarWriter writer, string target, string first, CancellationToken ct) =>
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, TarName(target)) { LinkName = TarName(first) }, ct).ConfigureAwait(false);

    /// <summary>One context entry at its place in the image: a top-level symlink source was already followed, inner ones stay links.</summary>
    private async Task WriteEntryAsync(TarWriter writer, string relative, FileStatus status, string target, CancellationToken ct)
    {
        var type = status switch
        {
            { IsDirectory: true } => TarEntryType.Directory,
            { IsSymlink: true } => TarEntryType.SymbolicLink,
            { IsRegular: true } => TarEntryType.RegularFile,
            _ => (TarEntryType?)null,
        };
        if (type is not { } entryType) return;
        var (uid, gid) = _request.PreserveOwnership ? ((int)status.Uid, (int)status.Gid) : Identity;
        var entry = new PaxTarEntry(entryType, TarName(target))
        {
            Mode = (UnixFileMode)(_request.Mode is { } mode && entryType != TarEntryType.SymbolicLink ? mode : status.Permissions),
            Uid = uid,
            Gid = gid,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(status.ModifySeconds),
        };
        var full = _context.FullPath(relative);
        if (entryType == TarEntryType.SymbolicLink) entry.LinkName = new FileInfo(full).LinkTarget ?? "";
        if (entryType != TarEntryType.RegularFile)
        {
            await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
            return;
        }
        var content = File.OpenRead(full);
        await using (content.ConfigureAwait(false))
        {
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
        }
    }
}
