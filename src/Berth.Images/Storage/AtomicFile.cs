using Berth.Images.Native;

namespace Berth.Images.Storage;

/// <summary>
/// Whole-file writes that a crash cannot tear: the content goes to a temporary file in the
/// same directory, is flushed to disk, renamed over the target, and the directory is synced.
/// With <c>flushToDisk: false</c> the flushes are skipped: the file is still never seen torn by a
/// process that crashes (the rename is atomic), but a power cut may lose the newest version.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool flushToDisk = true)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        if (flushToDisk) Libc.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static void WriteAllText(string path, string content, bool flushToDisk = true) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content), flushToDisk);

    /// <summary>A temporary name beside <paramref name="path"/>, so a rename stays on one filesystem.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".tmp-{Path.GetFileName(path)}-{Guid.NewGuid():N}");
}
