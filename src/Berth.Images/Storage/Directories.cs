namespace Berth.Images.Storage;

/// <summary>Directory helpers the stores share.</summary>
public static class Directories
{
    /// <summary>Creates a directory readable by its owner only (the daemon's state is root's).</summary>
    public static string CreatePrivate(string path)
    {
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Deletes a tree if it exists, without following symlinks out of it.</summary>
    public static void DeleteTree(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
        {
            info.Delete();
            return;
        }
        if (info.Exists) info.Delete(recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>A fresh, empty, uniquely named directory under <paramref name="parent"/>.</summary>
    public static string CreateTemp(string parent, string prefix)
    {
        CreatePrivate(parent);
        var path = Path.Combine(parent, $"{prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
