using Berth.Images.Archive;
using Berth.Images.Archive.Tar;

namespace Berth.Images.Transfer;

/// <summary>
/// Unpacks an image archive (docker-archive or OCI layout) into a private directory so its
/// files can be read in any order. Only directories, regular files and links that stay inside
/// the directory are accepted; owners and device nodes are ignored.
/// </summary>
internal static class ArchiveExtractor
{
    public static async Task ExtractAsync(Stream archive, string destination, CancellationToken ct)
    {
        var reader = new TarStreamReader(archive);
        TarHeader? header;
        try
        {
            header = await reader.NextAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new LayerFormatException($"Error processing tar file: {e.Message}");
        }
        while (header is not null)
        {
            var relative = RootedPath.CleanRelative(header.Name)
                           ?? throw new LayerFormatException($"archive entry \"{header.Name}\" is outside of the archive root");
            if (relative.Length > 0)
            {
                var slash = relative.LastIndexOf('/');
                var parent = RootedPath.Resolve(destination, slash < 0 ? "" : relative[..slash], followLast: true);
                Directory.CreateDirectory(parent);
                var path = Path.Combine(parent, slash < 0 ? relative : relative[(slash + 1)..]);
                switch (header.Kind)
                {
                    case TarEntryKind.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryKind.Regular or TarEntryKind.RegularV7 or TarEntryKind.Contiguous:
                        if (File.Exists(path) || Directory.Exists(path)) Storage.Directories.DeleteTree(path);
                        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                            await reader.CopyContentToAsync(file, ct).ConfigureAwait(false);
                        break;
                    case TarEntryKind.Symlink:
                        var target = header.LinkName.StartsWith('/') ? header.LinkName : (slash < 0 ? "" : relative[..slash] + "/") + header.LinkName;
                        if (header.LinkName.StartsWith('/') || RootedPath.CleanRelative(target) is null)
                            throw new LayerFormatException($"archive entry \"{header.Name}\" links outside of the archive root");
                        File.CreateSymbolicLink(path, header.LinkName);
                        break;
                    case TarEntryKind.HardLink:
                        var linked = RootedPath.CleanRelative(header.LinkName);
                        if (linked is null || linked.Length == 0)
                            throw new LayerFormatException($"archive entry \"{header.Name}\" links outside of the archive root");
                        File.Copy(RootedPath.Resolve(destination, linked, followLast: true), path);
                        break;
                }
            }
            try
            {
                header = await reader.NextAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new LayerFormatException($"Error processing tar file: {e.Message}");
            }
        }
    }
}
