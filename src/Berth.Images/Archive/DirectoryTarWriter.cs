using Berth.Images.Archive.Tar;
using Berth.Images.Native;

namespace Berth.Images.Archive;

/// <summary>How <see cref="DirectoryTarWriter"/> writes a tree.</summary>
public sealed record TreeTarOptions
{
    /// <summary>Read the tree as an overlay upper directory and write its deletions as OCI whiteouts.</summary>
    public bool OverlayWhiteouts { get; init; }

    /// <summary>Whole seconds only, as dockerd's archives have them (no PAX time records).</summary>
    public bool WholeSeconds { get; init; }

    /// <summary>Host paths in the tree whose metadata and content are taken from another file (bind-mounted files).</summary>
    public IReadOnlyDictionary<string, string>? Substitutes { get; init; }
}

/// <summary>
/// Writes a directory tree as a tar stream, parents before children, names sorted. With
/// <see cref="TreeTarOptions.OverlayWhiteouts"/>, the tree is read as an overlay upper directory
/// and its deletions are written as OCI whiteouts: a 0:0 character device becomes
/// <c>.wh.NAME</c> and an opaque directory gains a <c>.wh..wh..opq</c> entry. Hard links within
/// the tree stay hard links; <c>security.capability</c> is the one extended attribute carried,
/// as in dockerd. Sockets have no tar form and are left out.
/// </summary>
public sealed class DirectoryTarWriter
{
    private readonly TarStreamWriter _writer;
    private readonly TreeTarOptions _options;
    private readonly Dictionary<(uint, uint, ulong), string> _firstPathOfInode = [];

    private DirectoryTarWriter(Stream output, TreeTarOptions options)
    {
        _writer = new TarStreamWriter(output);
        _options = options;
    }

    /// <summary>The entries below <paramref name="root"/>, named relative to it (the root itself is not an entry).</summary>
    public static Task WriteAsync(string root, Stream output, bool overlayWhiteouts, CancellationToken ct) =>
        WriteAsync(root, output, new TreeTarOptions { OverlayWhiteouts = overlayWhiteouts }, ct);

    /// <inheritdoc cref="WriteAsync(string, Stream, bool, CancellationToken)"/>
    public static async Task WriteAsync(string root, Stream output, TreeTarOptions options, CancellationToken ct)
    {
        var tar = new DirectoryTarWriter(output, options);
        foreach (var child in SortedChildren(root))
            await tar.WriteEntryAsync(root + "/" + child, child, recurse: true, ct).ConfigureAwait(false);
        await tar._writer.CloseAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="path"/> itself as the entry <paramref name="name"/>, and, for a directory,
    /// everything below it as <c>name/…</c> (what <c>docker cp</c> reads from a container).
    /// </summary>
    public static async Task WriteTreeAsync(string path, string name, Stream output, TreeTarOptions options, CancellationToken ct)
    {
        var tar = new DirectoryTarWriter(output, options);
        await tar.WriteEntryAsync(path, name, recurse: true, ct).ConfigureAwait(false);
        await tar._writer.CloseAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Only the changed paths of a full tree, directories without their content, and each
    /// deletion as a whiteout (a layer made from the naive diff, as dockerd's <c>ExportChanges</c>).
    /// </summary>
    public static async Task WriteChangesAsync(string root, IEnumerable<FilesystemChange> changes, Stream output, TreeTarOptions options, CancellationToken ct)
    {
        var tar = new DirectoryTarWriter(output, options);
        foreach (var change in changes.OrderBy(c => c.Path, StringComparer.Ordinal))
        {
            var name = change.Path.TrimStart('/');
            if (change.Kind == ChangeKind.Delete)
            {
                var slash = name.LastIndexOf('/');
                await tar._writer.WriteHeaderAsync(new TarHeader
                {
                    Name = name[..(slash + 1)] + Whiteouts.Prefix + name[(slash + 1)..],
                    Kind = TarEntryKind.Regular,
                    ModTime = tar.Time(DateTimeOffset.UtcNow),
                }, ct).ConfigureAwait(false);
                continue;
            }
            await tar.WriteEntryAsync(root + change.Path, name, recurse: false, ct).ConfigureAwait(false);
        }
        await tar._writer.CloseAsync(ct).ConfigureAwait(false);
    }

    private static IEnumerable<string> SortedChildren(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    private DateTimeOffset Time(DateTimeOffset time) =>
        _options.WholeSeconds ? DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()) : time;

    private async Task WriteEntryAsync(string path, string name, bool recurse, CancellationToken ct)
    {
        var source = _options.Substitutes is { } substitutes && substitutes.TryGetValue(path, out var substitute) ? substitute : path;
        var st = Libc.LStat(source);
        var header = new TarHeader
        {
            Name = name,
            Mode = st.Mode & 0xfff,
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModTime = Time(st.ModifyTime),
        };

        if (_options.OverlayWhiteouts && FilesystemChanges.IsWhiteout(st))
        {
            var slash = name.LastIndexOf('/');
            header.Name = name[..(slash + 1)] + Whiteouts.Prefix + name[(slash + 1)..];
            header.Kind = TarEntryKind.Regular;
            header.Mode = 0x180; // 0600, as dockerd writes whiteouts
            await _writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            return;
        }

        if (st.IsDirectory)
        {
            header.Kind = TarEntryKind.Directory;
            AddCapability(source, header);
            await _writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            if (_options.OverlayWhiteouts && Libc.LGetXattr(source, Whiteouts.OverlayOpaqueXattr) is [(byte)'y'])
            {
                await _writer.WriteHeaderAsync(new TarHeader
                {
                    Name = name.TrimEnd('/') + "/" + Whiteouts.OpaqueMarker,
                    Kind = TarEntryKind.Regular,
                    Mode = header.Mode & 0x1ff,
                    Uid = header.Uid,
                    Gid = header.Gid,
                    ModTime = header.ModTime,
                }, ct).ConfigureAwait(false);
            }
            if (!recurse) return;
            var prefix = name.Length == 0 || name.EndsWith('/') ? name : name + "/";
            foreach (var child in SortedChildren(source))
                await WriteEntryAsync(source + "/" + child, prefix + child, recurse, ct).ConfigureAwait(false);
            return;
        }

        if (!st.IsSymlink && st.LinkCount > 1)
        {
            var inode = (st.DevMajor, st.DevMinor, st.Inode);
            if (_firstPathOfInode.TryGetValue(inode, out var first))
            {
                header.Kind = TarEntryKind.HardLink;
                header.LinkName = first;
                await _writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
                return;
            }
            _firstPathOfInode[inode] = name;
        }

        if (st.IsRegular)
        {
            header.Kind = TarEntryKind.Regular;
            header.Size = (long)st.Size;
            AddCapability(source, header);
            await _writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
            await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await _writer.CopyContentFromAsync(file, ct).ConfigureAwait(false);
            return;
        }

        if (st.IsSymlink)
        {
            header.Kind = TarEntryKind.Symlink;
            header.LinkName = new FileInfo(source).LinkTarget ?? "";
        }
        else if (st.IsCharDevice || st.IsBlockDevice)
        {
            header.Kind = st.IsCharDevice ? TarEntryKind.CharDevice : TarEntryKind.BlockDevice;
            header.DevMajor = (int)st.RdevMajor;
            header.DevMinor = (int)st.RdevMinor;
        }
        else if (st.IsFifo)
        {
            header.Kind = TarEntryKind.Fifo;
        }
        else
        {
            return;
        }
        await _writer.WriteHeaderAsync(header, ct).ConfigureAwait(false);
    }

    private static void AddCapability(string path, TarHeader header)
    {
        if (Libc.LGetXattr(path, "security.capability") is { } capability) header.Xattrs["security.capability"] = capability;
    }
}
