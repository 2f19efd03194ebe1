using System.Security.Cryptography;
using System.Text;

namespace Berth.Dockerfile;

/// <summary>
/// The checksums dockerd's classic builder gives COPY/ADD sources for its cache and history: a file is the sha256 of its
/// tar header fields (tarsum v1: name, mode, uid, gid, size, type, link target; no mtime, no user names) and content;
/// a directory is <c>dir:</c> the sha256 of the sorted checksums of it and everything under it; symlinks count as what
/// they point to. So a content, mode or owner change invalidates the cache, and touching a file does not.
/// Files of an image (COPY --from) are checksummed from the files themselves, as dockerd's lazy source does: the mode
/// keeps its file type bits, owner names come from the host, hard links are plain files, and missing link targets are skipped.
/// </summary>
internal sealed class ContextChecksums(BuildContext context, bool fromImage)
{
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary><c>file:…</c> for a file, <c>dir:…</c> for a directory (both given as resolved relative paths).</summary>
    public async Task<string> OfSourceAsync(string relative, FileStatus status, CancellationToken ct)
    {
        if (!status.IsDirectory) return "file:" + (await OfEntryAsync(relative, ct).ConfigureAwait(false) ?? relative);
        var sums = new List<string>();
        if (relative != "." && await OfEntryAsync(relative, ct).ConfigureAwait(false) is { } own) sums.Add(own);
        foreach (var (child, _) in context.Walk(relative))
            if (await OfEntryAsync(child, ct).ConfigureAwait(false) is { } sum) sums.Add(sum);
        sums.Sort(StringComparer.Ordinal);
        return "dir:" + Sha256Hex(Encoding.UTF8.GetBytes(string.Join(',', sums)));
    }

    /// <summary>
    /// dockerd's per-path hash: that of the entry the path resolves to, or the path itself when that is not in the context
    /// tar (a missing target, or a directory the client left out and extraction created).
    /// </summary>
    private async Task<string?> OfEntryAsync(string relative, CancellationToken ct)
    {
        var target = context.Resolve(relative);
        if (target is null || target == "." || context.LStat(target) is not { } status) return fromImage ? null : relative;
        if (_cache.TryGetValue(target, out var known)) return known;
        var sum = await TarSumAsync(target, status, ct).ConfigureAwait(false);
        _cache[target] = sum;
        return sum;
    }

    private async Task<string> TarSumAsync(string relative, FileStatus status, CancellationToken ct)
    {
        var firstName = status.IsHardLinked && !fromImage ? context.FirstNameOf(status) : relative;
        var (type, link, size) = status switch
        {
            _ when firstName.Length > 0 && firstName != relative => ("1", firstName, 0L),
            { IsDirectory: true } => ("5", "", 0L),
            { IsSymlink: true } => ("2", new FileInfo(context.FullPath(relative)).LinkTarget ?? "", 0L),
            { IsRegular: true } => ("0", "", status.Size),
            { FileType: 0x1000 } => ("6", "", 0L),
            _ => ("0", "", 0L),
        };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var (mode, user, group) = fromImage
            ? (status.Permissions | (int)status.FileType, HostAccountNames.User(status.Uid), HostAccountNames.Group(status.Gid))
            : (status.Permissions, "", "");
        var header = $"name{relative}{(status.IsDirectory ? "/" : "")}mode{mode}uid{status.Uid}gid{status.Gid}size{size}"
                     + $"typeflag{type}linkname{link}uname{user}gname{group}devmajor0devminor0";
        hash.AppendData(Encoding.UTF8.GetBytes(header));
        if (type == "0" && status.IsRegular)
        {
            var file = File.OpenRead(context.FullPath(relative));
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0) hash.AppendData(buffer, 0, n);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
