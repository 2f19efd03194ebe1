using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>What reaches the build: .dockerignore, a Dockerfile outside the context, ADD from a URL and of archives.</summary>
public sealed class BuildContextTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task The_cli_leaves_out_what_dockerignore_excludes()
    {
        var dir = BuildContexts.Write(Daemon, "ignore",
            ("Dockerfile", "FROM busybox\nCOPY . /ctx/\nRUN find /ctx -type f | sort\n"),
            (".dockerignore", "secret*\nlogs/\n!logs/keep.log\n"),
            ("app.txt", "app"), ("secret.key", "s"), ("logs/debug.log", "d"), ("logs/keep.log", "k"));
        var build = (await Daemon.BuildAsync("-t", "ignored", dir)).AssertSuccess();
        var files = (await Daemon.DockerAsync("run", "--rm", "ignored", "find", "/ctx", "-type", "f")).AssertSuccess().Lines.Order(StringComparer.Ordinal);
        Assert.Equal(["/ctx/.dockerignore", "/ctx/Dockerfile", "/ctx/app.txt", "/ctx/logs/keep.log"], files);
        Assert.Contains("/ctx/app.txt", build.Stdout);
    }

    [Fact]
    public async Task Through_the_api_excluded_files_sent_anyway_do_not_break_the_build()
    {
        // A raw client sends everything: dockerd then drops only an excluded Dockerfile and .dockerignore.
        using var context = new MemoryStream(await Archives.TarAsync(
            Archives.File("Dockerfile", "FROM busybox\nCOPY . /ctx/\n"),
            Archives.File(".dockerignore", "secret\nDockerfile\n"),
            Archives.File("secret", "s"), Archives.File("keep", "k")));
        var messages = await Daemon.Client.BuildImageAsync(context, [KeyValuePair.Create("t", "raw-ignore")]);
        Assert.Contains(messages, m => m.Stream == "Successfully tagged raw-ignore:latest\n");
        var files = (await Daemon.DockerAsync("run", "--rm", "raw-ignore", "find", "/ctx", "-type", "f")).AssertSuccess().Lines.Order(StringComparer.Ordinal);
        Assert.Equal(["/ctx/.dockerignore", "/ctx/keep", "/ctx/secret"], files);
    }

    [Fact]
    public async Task Copy_chmod_sets_the_mode_of_every_copied_entry_and_is_part_of_the_cache_key()
    {
        var dir = BuildContexts.Write(Daemon, "chmod",
            ("Dockerfile", "FROM busybox\nCOPY --chmod=750 tree /t/\nCOPY --chown=7:8 --chmod=600 tree/a.sh /one\n"), ("tree/a.sh", "echo a"), ("tree/sub/b", "b"));
        (await Daemon.BuildAsync("-t", "chmodded", dir)).AssertSuccess();
        var modes = (await Daemon.DockerAsync("run", "--rm", "chmodded", "stat", "-c", "%n %a %u:%g", "/t/a.sh", "/t/sub", "/t/sub/b", "/one")).AssertSuccess().Lines;
        Assert.Equal(["/t/a.sh 750 0:0", "/t/sub 750 0:0", "/t/sub/b 750 0:0", "/one 600 7:8"], modes);
        var history = (await Daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", "chmodded")).AssertSuccess().Stdout;
        Assert.Matches(@"COPY --chown=7:8 --chmod=600file:[0-9a-f]{64} in /one ", history);

        var changed = BuildContexts.Write(Daemon, "chmod", ("Dockerfile", "FROM busybox\nCOPY --chmod=755 tree /t/\n"), ("tree/a.sh", "echo a"), ("tree/sub/b", "b"));
        var rebuilt = (await Daemon.BuildAsync(changed)).AssertSuccess();
        Assert.DoesNotContain("Using cache", rebuilt.Stdout);

        var bad = BuildContexts.Write(Daemon, "chmod-bad", ("Dockerfile", "FROM busybox\nCOPY --chmod=9 tree /t/\n"), ("tree/a.sh", "x"));
        var refused = await Daemon.BuildAsync(bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid chmod parameter: '9'", refused.Stderr);
    }

    [Fact]
    public async Task A_dockerfile_outside_the_context_is_used()
    {
        var dir = BuildContexts.Write(Daemon, "outside-context", ("data.txt", "from the context\n"));
        var dockerfile = Path.Combine(Daemon.Root, "contexts", "Outside.Dockerfile");
        File.WriteAllText(dockerfile, "FROM busybox\nCOPY data.txt /data.txt\nCMD [\"cat\", \"/data.txt\"]\n");
        (await Daemon.BuildAsync("-f", dockerfile, "-t", "outside", dir)).AssertSuccess();
        Assert.Equal("from the context", (await Daemon.DockerAsync("run", "--rm", "outside")).AssertSuccess().Stdout.Trim());

        var inside = BuildContexts.Write(Daemon, "named-dockerfile", ("build/Custom", "FROM busybox\nCMD [\"echo\", \"custom\"]\n"));
        (await Daemon.BuildAsync("-f", Path.Combine(inside, "build", "Custom"), "-t", "custom", inside)).AssertSuccess();
        Assert.Equal("custom", (await Daemon.DockerAsync("run", "--rm", "custom")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Add_downloads_urls_and_unpacks_local_archives()
    {
        var webRoot = Path.Combine(Daemon.Root, "build-www");
        Directory.CreateDirectory(webRoot);
        File.WriteAllText(Path.Combine(webRoot, "remote.txt"), "downloaded\n");
        var archive = await Archives.TarAsync(Archives.Dir("pkg"), Archives.File("pkg/inside.txt", "unpacked\n"));
        var dir = BuildContexts.Write(Daemon, "add", ("Dockerfile", """
            FROM busybox
            ADD http://127.0.0.1:8089/remote.txt /downloads/
            ADD pkg.tar /opt/
            """));
        await File.WriteAllBytesAsync(Path.Combine(dir, "pkg.tar"), archive);
        var server = Daemon.LaunchInNamespace("busybox", ["httpd", "-f", "-p", "127.0.0.1:8089", "-h", webRoot]);
        try
        {
            CommandResult? build = null;
            await Poll.UntilAsync(async () => (build = await Daemon.BuildAsync("-t", "added", dir)).ExitCode == 0, "the build with the HTTP server up");
            var content = (await Daemon.DockerAsync("run", "--rm", "added", "cat", "/downloads/remote.txt", "/opt/pkg/inside.txt")).AssertSuccess();
            Assert.Equal("downloaded\nunpacked", content.Stdout.Trim());
            var mode = (await Daemon.DockerAsync("run", "--rm", "added", "stat", "-c", "%a", "/downloads/remote.txt")).AssertSuccess();
            Assert.Equal("600", mode.Stdout.Trim());
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }
}
