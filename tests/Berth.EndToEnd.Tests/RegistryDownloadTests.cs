using System.Security.Cryptography;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Layer downloads: the concurrency limit, resuming after a dropped connection, a registry that goes away, mirrors.</summary>
public sealed class RegistryDownloadTests
{
    private const long CutAfter = 256 * 1024;

    /// <summary>Pushes test/big:v1: a small layer, one of about 2 MB that compresses poorly, and another small one.</summary>
    private static async Task<string> PushBigImageAsync(BerthDaemon daemon, LocalRegistry registry)
    {
        var big = Convert.ToHexString(RandomNumberGenerator.GetBytes(1024 * 1024));
        var layers = new List<byte[]>
        {
            await Archives.TarAsync(Archives.File("first.txt", "first\n")),
            await Archives.TarAsync(Archives.File("big.txt", big)),
            await Archives.TarAsync(Archives.File("last.txt", "last\n")),
        };
        var archive = Path.Combine(daemon.Root, "big.tar");
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync(layers, []));
        await registry.PushAsync($"docker-archive:{archive}", "test/big:v1");
        return (await registry.LayerDigestsAsync("test/big", "v1"))[1];
    }

    [Fact]
    public async Task A_dropped_download_resumes_with_a_range_request_and_queued_layers_wait()
    {
        await using var daemon = await BerthDaemon.StartAsync("""{"max-concurrent-downloads": 1}""");
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"));
        var bigLayer = await PushBigImageAsync(daemon, registry);
        await using var proxy = new CuttingProxy(daemon.Namespace, registry.Port, bigLayer, CutAfter);

        var pull = (await daemon.DockerAsync("pull", $"{proxy.Host}/test/big:v1")).AssertSuccess();
        Assert.True(proxy.HasCut);
        Assert.Contains(proxy.RangeStarts, start => start > 0);
        var bigId = bigLayer["sha256:".Length..][..12];
        Assert.Contains($"{bigId}: Retrying in 5 seconds", pull.Stdout);
        Assert.Contains($"{bigId}: Pull complete", pull.Stdout);
        // One download at a time: the layers after the first wait for it, as dockerd shows.
        Assert.Contains("Waiting", pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {proxy.Host}/test/big:v1", pull.Stdout);
    }

    [Fact]
    public async Task A_registry_that_goes_down_mid_pull_leaves_no_image_and_no_temporary_files()
    {
        await using var daemon = await BerthDaemon.StartAsync("""{"max-download-attempts": 2}""");
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"));
        var bigLayer = await PushBigImageAsync(daemon, registry);
        await using var proxy = new CuttingProxy(daemon.Namespace, registry.Port, bigLayer, CutAfter, stayDownAfterCut: true);

        var pull = await daemon.DockerAsync("pull", $"{proxy.Host}/test/big:v1");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("Retrying in 5 seconds", pull.Stdout);
        // The cut layer, or another layer whose download then meets the closed port first: either way a blob URL is named.
        Assert.Contains($"{proxy.Host}/v2/test/big/blobs/sha256:", pull.Stderr);
        Assert.Contains($"dial tcp {proxy.Host}: connect: connection refused", pull.Stderr);

        Assert.DoesNotContain("test/big", (await daemon.DockerAsync("images", "--format", "{{.Repository}}")).AssertSuccess().Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(daemon.DataRoot, "tmp")));
    }

    [Fact]
    public async Task Docker_Hub_images_come_from_a_mirror_first()
    {
        var port = LocalRegistry.PickPort();
        await using var daemon = await BerthDaemon.StartAsync($$"""{"registry-mirrors": ["http://127.0.0.1:{{port}}"]}""");
        await using var mirror = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, "mirror"), new LocalRegistryOptions(Port: port));
        await mirror.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "library/busybox:latest");

        var info = (await daemon.DockerAsync("info")).AssertSuccess();
        Assert.Contains($" Registry Mirrors:\n  http://127.0.0.1:{port}/\n", info.Stdout);

        var pull = (await daemon.DockerAsync("pull", "busybox")).AssertSuccess();
        Assert.Contains("latest: Pulling from library/busybox", pull.Stdout);
        Assert.Contains("Status: Downloaded newer image for busybox:latest", pull.Stdout);
        Assert.Equal("hello\n", (await daemon.DockerAsync("run", "--rm", "busybox", "echo", "hello")).AssertSuccess().Stdout);

        // What the mirror lacks is asked of Docker Hub itself, unreachable here: its error is the one reported.
        var miss = await daemon.DockerAsync("pull", "busybox:not-on-the-mirror");
        Assert.NotEqual(0, miss.ExitCode);
        Assert.Contains("Error response from daemon: Get \"https://registry-1.docker.io/v2/\"", miss.Stderr);
    }
}
