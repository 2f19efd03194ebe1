using System.Text.RegularExpressions;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Images cross between berthd and Debian's dockerd 20.10 through one registry, both ways: what
/// berthd pushes, dockerd pulls and runs (so the layers are standard gzip of the exact layer tars),
/// and the reverse. The registry's storage is served in both daemons' network namespaces.
/// </summary>
public sealed partial class RegistryInteropTests
{
    [GeneratedRegex(@"v1: digest: (sha256:[0-9a-f]{64}) size: \d+")]
    private static partial Regex DigestLine();

    [Fact]
    public async Task Images_cross_between_berthd_and_dockerd_through_a_registry()
    {
        await using var berth = await BerthDaemon.StartWithBusyboxAsync();
        await using var registry = await LocalRegistry.StartAsync(berth.Namespace, Path.Combine(berth.Root, "registry"));
        await using var dockerd = await OracleDockerd.StartAsync();
        await registry.ServeAlsoInAsync(dockerd.NetworkNamespacePath);

        // berthd → dockerd: a committed image (a new file, a deleted one) …
        var committed = $"{registry.Host}/interop/committed:v1";
        (await berth.DockerAsync("run", "--name", "writer", "busybox", "sh", "-c", "mkdir /data && echo from-berthd > /data/hello.txt && rm /bin/ls")).AssertSuccess();
        (await berth.DockerAsync("commit", "writer", committed)).AssertSuccess();
        (await berth.DockerAsync("push", committed)).AssertSuccess();
        (await dockerd.DockerAsync("pull", committed)).AssertSuccess();
        Assert.Equal(await IdAsync(berth.DockerAsync, committed), await IdAsync(dockerd.DockerAsync, committed));
        var run = (await dockerd.DockerAsync("run", "--rm", "--network", "none", committed, "sh", "-c", "cat /data/hello.txt; test -e /bin/ls || echo ls-gone")).AssertSuccess();
        Assert.Equal("from-berthd\nls-gone\n", run.Stdout);

        // … and a loaded image of three layers.
        var loaded = $"{registry.Host}/interop/loaded:v1";
        var layers = new List<byte[]>();
        for (var i = 0; i < 3; i++) layers.Add(await Archives.TarAsync(Archives.Dir($"d{i}"), Archives.File($"d{i}/f{i}.txt", $"layer {i}\n")));
        var archive = Path.Combine(berth.Root, "loaded.tar");
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync(layers, [loaded]));
        (await berth.DockerAsync("load", "-i", archive)).AssertSuccess();
        (await berth.DockerAsync("push", loaded)).AssertSuccess();
        (await dockerd.DockerAsync("pull", loaded)).AssertSuccess();
        Assert.Equal(await IdAsync(berth.DockerAsync, loaded), await IdAsync(dockerd.DockerAsync, loaded));
        (await dockerd.DockerAsync("create", "--name", "loaded", loaded)).AssertSuccess();
        var exported = Path.Combine(berth.Root, "exported.tar");
        (await dockerd.DockerAsync("export", "-o", exported, "loaded")).AssertSuccess();
        await using (var stream = File.OpenRead(exported))
        {
            var files = await Archives.ReadAsync(stream);
            for (var i = 0; i < 3; i++) Assert.Equal($"layer {i}\n", System.Text.Encoding.UTF8.GetString(files[$"d{i}/f{i}.txt"]));
        }

        // dockerd → berthd: dockerd commits and pushes; berthd pulls, runs it, and can push it on, mounting its layers.
        (await dockerd.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        (await dockerd.DockerAsync("run", "--name", "maker", "--network", "none", "busybox", "sh", "-c", "echo from-dockerd > /made.txt")).AssertSuccess();
        var fromDockerd = $"{registry.Host}/interop/from-dockerd:v1";
        (await dockerd.DockerAsync("commit", "maker", fromDockerd)).AssertSuccess();
        var pushed = (await dockerd.DockerAsync("push", fromDockerd)).AssertSuccess();
        var digest = DigestLine().Match(pushed.Stdout).Groups[1].Value;
        var pull = (await berth.DockerAsync("pull", fromDockerd)).AssertSuccess();
        Assert.Contains($"Digest: {digest}", pull.Stdout);
        Assert.Equal(await IdAsync(dockerd.DockerAsync, fromDockerd), await IdAsync(berth.DockerAsync, fromDockerd));
        Assert.Equal("from-dockerd\n", (await berth.DockerAsync("run", "--rm", fromDockerd, "cat", "/made.txt")).AssertSuccess().Stdout);

        var onward = $"{registry.Host}/interop/onward:v1";
        (await berth.DockerAsync("tag", fromDockerd, onward)).AssertSuccess();
        var mounted = (await berth.DockerAsync("push", onward)).AssertSuccess();
        Assert.Contains(": Mounted from interop/from-dockerd", mounted.Stdout);
        Assert.DoesNotContain("Pushed", mounted.Stdout);
        // The same layers, config and therefore manifest as dockerd pushed: the same digest.
        Assert.Equal(digest, DigestLine().Match(mounted.Stdout).Groups[1].Value);
    }

    private static async Task<string> IdAsync(Func<string[], Task<CommandResult>> docker, string image) =>
        (await docker(["image", "inspect", "--format", "{{.Id}}", image])).AssertSuccess().Stdout.Trim();
}
