namespace Berth.Volumes.Service;

/// <summary>The bytes of the files under a directory, symlinks not followed.</summary>
internal static class DirectorySize
{
    public static long Of(string path)
    {
        if (!Directory.Exists(path)) return 0;
        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
            if (file.LinkTarget is null) total += file.Length;
        return total;
    }
}
