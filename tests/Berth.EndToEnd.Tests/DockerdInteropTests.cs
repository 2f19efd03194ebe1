using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;
using Berth.Images.Digests;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Archives cross between berthd and Debian's dockerd 20.10 in both directions: same image IDs,
/// same layers byte for byte, and dockerd runs what berthd saved.
/// </summary>
public sealed class DockerdInteropTests
{
    [Fact]
    public async Task Archives_cross_between_berthd_and_dockerd_both_ways()
    {
        await using var berth = await BerthDaemon.StartAsync();
        await using var dockerd = await OracleDockerd.StartAsync();
        (await berth.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        var busyboxId = await TestImages.BusyboxIdAsync();

        // berthd → dockerd: the same image ID, and dockerd can run it.
        var fromBerth = Path.Combine(berth.Root, "from-berth.tar");
        (await berth.DockerAsync("save", "-o", fromBerth, "busybox")).AssertSuccess();
        Assert.Equal("Loaded image: busybox:latest\n", (await dockerd.DockerAsync("load", "-i", fromBerth)).AssertSuccess().Stdout);
        Assert.Equal(busyboxId, (await dockerd.DockerAsync("image", "inspect", "--format", "{{.Id}}", "busybox")).AssertSuccess().Stdout.Trim());
        Assert.Equal("hello\n", (await dockerd.DockerAsync("run", "--rm", "--network", "none", "busybox", "echo", "hello")).AssertSuccess().Stdout);

        // dockerd builds a multi-layer image with deletions, hard links and an opaque directory.
        var context = Path.Combine(berth.Root, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM busybox
            RUN mkdir -p /data/keep /data/gone && echo one > /data/keep/a && echo two > /data/gone/b && echo x > /etc/motd
            RUN rm -rf /data/gone /etc/motd && echo three > /data/keep/c && ln /data/keep/a /data/keep/hard
            RUN rm -rf /data/keep && mkdir /data/keep && echo fresh > /data/keep/new
            LABEL stage=final
            """);
        (await dockerd.DockerAsync(["build", "--network", "none", "-q", "-t", "multi:1", context], new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" })).AssertSuccess();
        var fromDockerd = Path.Combine(berth.Root, "from-dockerd.tar");
        // Two images sharing their base layer: dockerd 20.10 writes the second copy as a symlink.
        (await dockerd.DockerAsync("tag", "busybox", "shared-base:1")).AssertSuccess();
        (await dockerd.DockerAsync("save", "-o", fromDockerd, "multi:1", "shared-base:1")).AssertSuccess();
        Assert.Contains("layer.tar -> ../", (await Processes.RunAsync("tar", "tvf", fromDockerd)).AssertSuccess().Stdout);

        // dockerd → berthd: same ID, layers and size.
        var loaded = (await berth.DockerAsync("load", "-i", fromDockerd)).AssertSuccess();
        Assert.Equal(["Loaded image: multi:1", "Loaded image: shared-base:1"], loaded.Lines.Order());
        const string fields = "{{.Id}} {{json .RootFS.Layers}} {{.Size}}";
        Assert.Equal((await dockerd.DockerAsync("image", "inspect", "--format", fields, "multi:1")).AssertSuccess().Stdout,
            (await berth.DockerAsync("image", "inspect", "--format", fields, "multi:1")).AssertSuccess().Stdout);

        // berthd rebuilds those layers byte for byte, and dockerd runs the result with the deletions in place.
        var again = Path.Combine(berth.Root, "again.tar");
        (await berth.DockerAsync("save", "-o", again, "multi:1")).AssertSuccess();
        await using (var stream = File.OpenRead(again))
            foreach (var (name, content) in (await Archives.ReadAsync(stream)).Where(f => f.Key.StartsWith("blobs/sha256/", StringComparison.Ordinal)))
                Assert.Equal(name["blobs/sha256/".Length..], Digest.Sha256(content).Hex);
        (await dockerd.DockerAsync("rmi", "multi:1")).AssertSuccess();
        (await dockerd.DockerAsync("load", "-i", again)).AssertSuccess();
        var listing = (await dockerd.DockerAsync("run", "--rm", "--network", "none", "multi:1", "sh", "-c",
            "ls /data; ls /data/keep; cat /data/keep/new; test -e /etc/motd || echo no-motd")).AssertSuccess();
        Assert.Equal("keep\nnew\nfresh\nno-motd\n", listing.Stdout);

        var history = (await berth.DockerAsync("history", "--format", "{{.CreatedBy}}", "multi:1")).AssertSuccess();
        Assert.Contains("LABEL stage=final", history.Lines[0]);
        using var inspect = JsonDocument.Parse((await berth.DockerAsync("image", "inspect", "multi:1")).AssertSuccess().Stdout);
        Assert.Equal("final", inspect.RootElement[0].GetProperty("Config").GetProperty("Labels").GetProperty("stage").GetString());
    }
}
