using System.Security.Cryptography;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>A kill -9 at any point of a load leaves a store the next start loads, with nothing half-made listed or left on disk.</summary>
public sealed class DurabilityTests
{
    private static async Task<byte[]> LargeArchiveAsync(string tag)
    {
        var random = RandomNumberGenerator.GetBytes(48 * 1024 * 1024);
        var files = Enumerable.Range(0, 48).Select(i => new Archives.Entry(
            new Berth.Images.Archive.Tar.TarHeader { Name = $"data/chunk{i}", Mode = 0x1a4 }, random[(i * 1024 * 1024)..((i + 1) * 1024 * 1024)]));
        var layer = await Archives.TarAsync([Archives.Dir("data"), .. files]);
        return await Archives.DockerArchiveAsync([layer], [tag]);
    }

    /// <summary>A layer of many small files: unpacking it takes long enough (seconds) to be caught in the middle, even on a loaded machine.</summary>
    private static async Task<byte[]> ManyFilesArchiveAsync(string tag)
    {
        var files = Enumerable.Range(0, 30_000).Select(i => Archives.File($"data/d{i % 100}/f{i}", "x"));
        var dirs = Enumerable.Range(0, 100).Select(i => Archives.Dir($"data/d{i}"));
        var layer = await Archives.TarAsync([Archives.Dir("data"), .. dirs, .. files]);
        return await Archives.DockerArchiveAsync([layer], [tag]);
    }

    private static async Task AssertNothingHalfMadeAsync(BerthDaemon daemon, string tag)
    {
        await daemon.StartProcessAsync();
        Assert.Equal(1, (await daemon.DockerAsync("image", "inspect", tag)).ExitCode);
        Assert.Equal(["busybox:latest"], (await daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().Lines);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(daemon.DataRoot, "tmp")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(daemon.DataRoot, "image", "overlay2", "layerdb", "tmp")));
        // Only the busybox layer's snapshot (and the link directory) remain.
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(daemon.DataRoot, "overlay2")).Length);
        Assert.Single(Directory.GetFileSystemEntries(Path.Combine(daemon.DataRoot, "overlay2", "l")));
        Assert.Single(Directory.GetDirectories(Path.Combine(daemon.DataRoot, "image", "overlay2", "layerdb", "sha256")));
    }

    [Fact]
    public async Task A_kill_while_the_archive_arrives_leaves_nothing()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        var archive = await LargeArchiveAsync("partial:1");
        var upload = new GatedStream(archive, archive.Length / 2);
        var load = daemon.DockerAsync(["load"], upload, TimeSpan.FromMinutes(2));
        await upload.Paused.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await daemon.KillAsync();
        upload.Release();
        Assert.NotEqual(0, (await load).ExitCode);
        await AssertNothingHalfMadeAsync(daemon, "partial:1");
    }

    [Fact]
    public async Task A_kill_while_a_layer_is_unpacked_leaves_nothing()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        var path = Path.Combine(daemon.Root, "large.tar");
        await File.WriteAllBytesAsync(path, await ManyFilesArchiveAsync("partial:2"));
        var layerTemp = Path.Combine(daemon.DataRoot, "image", "overlay2", "layerdb", "tmp");
        var load = daemon.DockerAsync("load", "-i", path);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(Directory.Exists(layerTemp) && Directory.GetDirectories(layerTemp).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the layer was never seen being unpacked");
            Assert.False(load.IsCompleted, "the load finished before it could be interrupted");
            await Task.Delay(2);
        }
        await daemon.KillAsync();
        Assert.NotEqual(0, (await load).ExitCode);
        await AssertNothingHalfMadeAsync(daemon, "partial:2");
        (await daemon.DockerAsync("load", "-i", path)).AssertSuccess();
        Assert.Equal(0, (await daemon.DockerAsync("image", "inspect", "partial:2")).ExitCode);
    }
}
