namespace Berth.Images.Tests;

/// <summary>A scratch directory on disk (not tmpfs, so overlayfs and xattrs behave as in production), removed after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    private static readonly string Base = System.IO.Path.Combine("/var/tmp", "berth-unit");

    public TempDirectory()
    {
        Path = System.IO.Path.Combine(Base, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mountPoint = line.Split(' ')[4];
            if (mountPoint.StartsWith(Path, StringComparison.Ordinal)) Native.Libc.Unmount(mountPoint, detach: true);
        }
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
