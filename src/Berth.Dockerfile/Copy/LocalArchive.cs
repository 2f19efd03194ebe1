using System.Formats.Tar;
using System.IO.Compression;
using Berth.Api;
using Berth.Api.Errors;

namespace Berth.Dockerfile;

/// <summary>
/// ADD's local archives: a file is one when, decompressed if need be, it starts with a valid tar header (as dockerd's
/// isArchivePath); its entries are then written under the destination with their own owners and modes.
/// </summary>
internal static class LocalArchive
{
    public static async Task<bool> IsArchiveAsync(string path, Func<Stream, CancellationToken, Task<Stream>>? decompress, CancellationToken ct)
    {
        try
        {
            var stream = await OpenAsync(path, decompress, ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new TarReader(stream);
                await using (reader.ConfigureAwait(false))
                    return await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is not null;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            return false;
        }
    }

    public static async Task CopyEntriesAsync(string path, Func<Stream, CancellationToken, Task<Stream>>? decompress, TarWriter writer,
        string destination, CancellationToken ct)
    {
        var stream = await OpenAsync(path, decompress, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new TarReader(stream);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
                    var name = Inside(destination, entry.Name);
                    if (name is null) continue;
                    var copy = new PaxTarEntry(entry) { Name = name.TrimStart('/') };
                    if (entry.EntryType is TarEntryType.HardLink) copy.LinkName = (Inside(destination, entry.LinkName) ?? destination).TrimStart('/');
                    await writer.WriteEntryAsync(copy, ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The entry's place under the destination; null for the archive's root; entries climbing out are refused as dockerd refuses them.</summary>
    private static string? Inside(string destination, string entryName)
    {
        var cleaned = GoPath.Clean(entryName);
        if (cleaned == "..") throw BerthException.InvalidParameter($"invalid archive: {GoPath.Clean("/" + entryName)} is outside of {destination}");
        if (cleaned.StartsWith("../", StringComparison.Ordinal))
            throw BerthException.InvalidParameter($"invalid archive: {entryName} is outside of {destination}");
        var relative = cleaned.TrimStart('/');
        if (relative is "" or ".") return null;
        return destination == "/" ? "/" + relative : destination + "/" + relative;
    }

    private static async Task<Stream> OpenAsync(string path, Func<Stream, CancellationToken, Task<Stream>>? decompress, CancellationToken ct)
    {
        Stream file = File.OpenRead(path);
        if (decompress is not null) return await decompress(file, ct).ConfigureAwait(false);
        var head = new byte[2];
        var read = await file.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        file.Position = 0;
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
