namespace Berth.EndToEnd.Tests.Harness;

/// <summary>The busybox test image, built once per test run from Debian's static busybox by the repository's own script.</summary>
public static class TestImages
{
    private static readonly Lazy<Task<(string Path, string Id)>> Busybox = new(BuildBusyboxAsync);

    /// <summary>A docker-archive tar holding <c>busybox:latest</c>.</summary>
    public static async Task<string> BusyboxArchiveAsync() => (await Busybox.Value).Path;

    /// <summary>The image ID (<c>sha256:…</c>) of the busybox test image.</summary>
    public static async Task<string> BusyboxIdAsync() => (await Busybox.Value).Id;

    private static async Task<(string, string)> BuildBusyboxAsync()
    {
        foreach (var stale in Directory.Exists(TestPaths.ScratchRoot) ? Directory.GetDirectories(TestPaths.ScratchRoot, "images-*") : [])
            if (int.TryParse(Path.GetFileName(stale)["images-".Length..], out var owner) && !Processes.IsAlive(owner))
                Directory.Delete(stale, recursive: true);
        var dir = Path.Combine(TestPaths.ScratchRoot, $"images-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        };
        var path = Path.Combine(dir, "busybox.tar");
        var result = await Processes.RunAsync(Path.Combine(TestPaths.RepositoryRoot, "scripts", "make-busybox-image.sh"), path);
        result.AssertSuccess();
        return (path, result.Stdout.Trim());
    }
}
