using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker push</c> to a registry over plain HTTP on loopback.</summary>
public sealed partial class RegistryPushTests(PushFixture fixture) : IClassFixture<PushFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;
    private string Registry => fixture.Registry.Host;

    [GeneratedRegex(@"^(?<tag>\S+): digest: (?<digest>sha256:[0-9a-f]{64}) size: (?<size>\d+)$", RegexOptions.Multiline)]
    private static partial Regex DigestLine();

    [Fact]
    public async Task A_committed_image_is_pushed_and_pulled_back()
    {
        var container = $"push-commit-{Guid.NewGuid():N}"[..24];
        (await Daemon.DockerAsync("run", "--name", container, "busybox", "sh", "-c", "echo pushed > /pushed.txt && mkdir /data && echo deep > /data/file")).AssertSuccess();
        var name = $"{Registry}/push/committed:v1";
        (await Daemon.DockerAsync("commit", container, name)).AssertSuccess();
        (await Daemon.DockerAsync("rm", container)).AssertSuccess();

        var push = (await Daemon.DockerAsync("push", name)).AssertSuccess();
        Assert.Equal($"The push refers to repository [{Registry}/push/committed]", push.Lines[0]);
        Assert.Equal(2, push.Lines.Count(l => l.EndsWith(": Preparing", StringComparison.Ordinal)));
        Assert.Equal(2, push.Lines.Count(l => l.EndsWith(": Pushed", StringComparison.Ordinal)));
        var match = DigestLine().Match(push.Stdout);
        Assert.True(match.Success, push.Stdout);
        Assert.Equal("v1", match.Groups["tag"].Value);
        var digest = match.Groups["digest"].Value;

        // The registry holds a Docker schema 2 manifest with the size and digest reported.
        var manifest = (await Daemon.Namespace.RunAsync("curl", "-sf", "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
            $"http://{Registry}/v2/push/committed/manifests/v1")).AssertSuccess().Stdout;
        Assert.Equal(match.Groups["size"].Value, manifest.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(digest, Berth.Images.Digests.Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(manifest)).ToString());
        using (var doc = JsonDocument.Parse(manifest))
            Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", doc.RootElement.GetProperty("mediaType").GetString());

        var repoDigests = (await Daemon.DockerAsync("image", "inspect", "--format", "{{json .RepoDigests}}", name)).AssertSuccess().Stdout;
        Assert.Contains($"{Registry}/push/committed@{digest}", repoDigests);
        var listed = (await Daemon.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}", $"{Registry}/push/committed")).AssertSuccess();
        Assert.Contains($"{Registry}/push/committed v1 {digest}", listed.Lines);

        // Pulled back after removal: the top layer comes from the registry and the files are there.
        (await Daemon.DockerAsync("rmi", name)).AssertSuccess();
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Contains($"Digest: {digest}", pull.Stdout);
        Assert.Equal("pushed\ndeep\n", (await Daemon.DockerAsync("run", "--rm", name, "cat", "/pushed.txt", "/data/file")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Pushing_again_finds_the_layer_and_another_repository_mounts_it()
    {
        // A layer of its own, so no other test has pushed it before.
        var container = $"push-again-{Guid.NewGuid():N}"[..24];
        (await Daemon.DockerAsync("run", "--name", container, "busybox", "sh", "-c", "echo again > /again.txt")).AssertSuccess();
        var first = $"{Registry}/push/again:v1";
        (await Daemon.DockerAsync("commit", container, first)).AssertSuccess();
        (await Daemon.DockerAsync("rm", container)).AssertSuccess();
        var push = (await Daemon.DockerAsync("push", first)).AssertSuccess();
        Assert.Contains(": Pushed", push.Stdout);
        var digest = DigestLine().Match(push.Stdout).Groups["digest"].Value;

        var again = (await Daemon.DockerAsync("push", first)).AssertSuccess();
        Assert.Equal(2, again.Lines.Count(l => l.EndsWith(": Layer already exists", StringComparison.Ordinal)));
        Assert.DoesNotContain("Pushed", again.Stdout);
        Assert.Equal(digest, DigestLine().Match(again.Stdout).Groups["digest"].Value);

        var second = $"{Registry}/push/elsewhere:v1";
        (await Daemon.DockerAsync("tag", first, second)).AssertSuccess();
        var mounted = (await Daemon.DockerAsync("push", second)).AssertSuccess();
        Assert.Contains(": Mounted from push/again", mounted.Stdout);
        Assert.Equal(digest, DigestLine().Match(mounted.Stdout).Groups["digest"].Value);
    }

    [Fact]
    public async Task A_pulled_layer_is_mounted_from_where_it_was_pulled()
    {
        await fixture.Registry.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "seed/busybox:v1");
        (await Daemon.DockerAsync("pull", $"{Registry}/seed/busybox:v1")).AssertSuccess();
        var target = $"{Registry}/push/from-pull:v1";
        (await Daemon.DockerAsync("tag", $"{Registry}/seed/busybox:v1", target)).AssertSuccess();
        var push = (await Daemon.DockerAsync("push", target)).AssertSuccess();
        Assert.Contains(": Mounted from seed/busybox", push.Stdout);
        // The mounted blob is skopeo's, so the layer is the one the seed manifest lists.
        var seedLayers = await fixture.Registry.LayerDigestsAsync("seed/busybox", "v1");
        Assert.Equal(seedLayers, await fixture.Registry.LayerDigestsAsync("push/from-pull", "v1"));
    }

    [Fact]
    public async Task All_tags_are_pushed_with_all_tags()
    {
        foreach (var tag in new[] { "b", "a" })
            (await Daemon.DockerAsync("tag", "busybox", $"{Registry}/push/all:{tag}")).AssertSuccess();
        var push = (await Daemon.DockerAsync("push", "--all-tags", $"{Registry}/push/all")).AssertSuccess();
        Assert.Single(push.Lines, l => l.StartsWith("The push refers to repository", StringComparison.Ordinal));
        Assert.Equal(["a", "b"], DigestLine().Matches(push.Stdout).Select(m => m.Groups["tag"].Value));
        Assert.NotEmpty(await fixture.Registry.LayerDigestsAsync("push/all", "b"));
    }

    [Fact]
    public async Task Layers_beyond_max_concurrent_uploads_wait_their_turn()
    {
        var layers = new List<byte[]>();
        for (var i = 0; i < 4; i++) layers.Add(await Archives.TarAsync(Archives.File($"layer{i}.txt", $"layer {i}\n")));
        var archive = Path.Combine(Daemon.Root, "four-layers.tar");
        var name = $"{Registry}/push/four:v1";
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync(layers, [name]));
        (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess();

        var push = (await Daemon.DockerAsync("push", name)).AssertSuccess();
        Assert.Equal(4, push.Lines.Count(l => l.EndsWith(": Pushed", StringComparison.Ordinal)));
        // The daemon pushes two at a time (max-concurrent-uploads: 2): the other two wait.
        Assert.Equal(2, push.Lines.Count(l => l.EndsWith(": Waiting", StringComparison.Ordinal)));
        Assert.Equal(4, (await fixture.Registry.LayerDigestsAsync("push/four", "v1")).Length);
    }

    [Fact]
    public async Task A_dropped_upload_is_retried_after_dockerds_countdown()
    {
        // The registry's answer to the first PATCH (a layer's content) is cut after one byte.
        await using var proxy = new CuttingProxy(Daemon.Namespace, fixture.Registry.Port, "PATCH ", 1);
        var name = $"{proxy.Host}/push/retried:v1";
        (await Daemon.DockerAsync("tag", "busybox", name)).AssertSuccess();
        var push = (await Daemon.DockerAsync("push", name)).AssertSuccess();
        Assert.True(proxy.HasCut);
        var id = push.Lines.First(l => l.EndsWith(": Preparing", StringComparison.Ordinal)).Split(':')[0];
        Assert.Contains($"{id}: Retrying in 5 seconds", push.Lines);
        Assert.Contains($"{id}: Pushed", push.Lines);
        Assert.Matches(DigestLine(), push.Stdout);
    }

    [Fact]
    public async Task Pushing_an_image_that_does_not_exist_fails_in_dockerds_words()
    {
        var push = await Daemon.DockerAsync("push", $"{Registry}/push/nosuch:v1");
        Assert.Equal(1, push.ExitCode);
        Assert.Contains($"The push refers to repository [{Registry}/push/nosuch]", push.Stdout);
        Assert.Contains($"An image does not exist locally with the tag: {Registry}/push/nosuch", push.Stderr);

        var all = await Daemon.DockerAsync("push", "-a", $"{Registry}/push/nosuch");
        Assert.Contains($"An image does not exist locally with the tag: {Registry}/push/nosuch", all.Stderr);
    }

    [Fact]
    public async Task A_registry_that_cannot_be_reached_is_named()
    {
        (await Daemon.DockerAsync("tag", "busybox", "127.0.0.1:1/push/unreachable:v1")).AssertSuccess();
        var push = await Daemon.DockerAsync("push", "127.0.0.1:1/push/unreachable:v1");
        Assert.Equal(1, push.ExitCode);
        Assert.Contains("Get \"http://127.0.0.1:1/v2/\"", push.Stderr);

        // A Docker Hub name goes to Docker Hub, which this namespace cannot reach.
        (await Daemon.DockerAsync("tag", "busybox", "someone/busybox:v1")).AssertSuccess();
        var hub = await Daemon.DockerAsync("push", "someone/busybox:v1");
        Assert.Equal(1, hub.ExitCode);
        Assert.Contains("The push refers to repository [docker.io/someone/busybox]", hub.Stdout);
        Assert.Contains("Get \"https://registry-1.docker.io/v2/\"", hub.Stderr);
    }

    [Fact]
    public async Task A_registry_that_refuses_writes_is_quoted_as_dockerd_quotes_it()
    {
        await using var readOnly = await LocalRegistry.StartAsync(Daemon.Namespace, Path.Combine(Daemon.Root, "read-only-registry"),
            new LocalRegistryOptions(ReadOnly: true));
        var name = $"{readOnly.Host}/push/refused:v1";
        (await Daemon.DockerAsync("tag", "busybox", name)).AssertSuccess();
        var push = await Daemon.DockerAsync("push", name);
        Assert.Equal(1, push.ExitCode);
        Assert.Contains(": Preparing", push.Stdout);
        Assert.Equal("error parsing HTTP 405 response body: invalid character 'M' looking for beginning of value: \"Method not allowed\\n\"",
            push.Stderr.Trim());
    }

    [Fact]
    public async Task Credentials_come_from_the_header_or_else_the_body_as_dockerd_takes_them()
    {
        var response = (await Processes.RunAsync("curl", "-s", "-w", "\n%{http_code}", "--unix-socket", Daemon.Socket, "-X", "POST",
            $"http://localhost/v1.41/images/{Registry}/push/x/push?tag=v1")).AssertSuccess();
        Assert.Equal("400", response.Lines[^1]);
        Assert.Contains("Bad parameters and missing X-Registry-Auth: EOF", response.Stdout);

        // The older form, which docker-py uses: the credentials as the JSON body.
        var legacy = (await Processes.RunAsync("curl", "-s", "-w", "\n%{http_code}", "--unix-socket", Daemon.Socket, "-X", "POST",
            "-H", "Content-Type: application/json", "-d", "{}", $"http://localhost/v1.41/images/{Registry}/push/x/push?tag=v1")).AssertSuccess();
        Assert.Equal("200", legacy.Lines[^1]);
        Assert.Contains($"An image does not exist locally with the tag: {Registry}/push/x", legacy.Stdout);
    }
}
