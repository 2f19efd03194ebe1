namespace Berth.Dockerfile.Tests;

/// <summary>A build context in a temporary directory, removed afterwards.</summary>
internal sealed class TempContext : IDisposable
{
    public TempContext() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "berth-dockerfile-tests-" + Guid.NewGuid().ToString("N"));

    public TempContext File(string path, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        System.IO.File.SetUnixFileMode(full, mode);
        return this;
    }

    public TempContext Dir(string path, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(full);
        System.IO.File.SetUnixFileMode(full, mode);
        return this;
    }

    public TempContext Link(string path, string target)
    {
        System.IO.File.CreateSymbolicLink(Path.Combine(Root, path), target);
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
