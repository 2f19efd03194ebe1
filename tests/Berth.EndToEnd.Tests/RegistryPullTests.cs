using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker pull</c> from a registry over plain HTTP on loopback.</summary>
public sealed class RegistryPullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;
    private string Registry => fixture.Registry.Host;

    [Fact]
    public async Task Pull_run_and_pull_again()
    {
        var name = $"{Registry}/test/busybox:v1";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains("v1: Pulling from test/busybox", pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Matches(@"Digest: sha256:[0-9a-f]{64}", pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {name}", pull.Stdout);
        var digest = System.Text.RegularExpressions.Regex.Match(pull.Stdout, @"Digest: (sha256:[0-9a-f]{64})").Groups[1].Value;

        // The image ID is the configuration's digest, the same as when the archive is loaded.
        var inspect = (await Daemon.DockerAsync("image", "inspect", name)).AssertSuccess();
        using (var doc = JsonDocument.Parse(inspect.Stdout))
        {
            var image = doc.RootElement[0];
            Assert.Equal(await TestImages.BusyboxIdAsync(), image.GetProperty("Id").GetString());
            Assert.Contains($"{Registry}/test/busybox@{digest}", image.GetProperty("RepoDigests").EnumerateArray().Select(d => d.GetString()));
        }

        var images = (await Daemon.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}")).AssertSuccess();
        Assert.Contains($"{Registry}/test/busybox v1 {digest}", images.Lines);

        Assert.Equal("hello\n", (await Daemon.DockerAsync("run", "--rm", name, "echo", "hello")).AssertSuccess().Stdout);

        var again = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains("Already exists", again.Stdout);
        Assert.Contains($"Status: Image is up to date for {name}", again.Stdout);

        var byDigest = (await Daemon.DockerAsync("pull", $"{Registry}/test/busybox@{digest}")).AssertSuccess();
        Assert.Contains($"Status: Image is up to date for {Registry}/test/busybox@{digest}", byDigest.Stdout);
    }

    [Fact]
    public async Task An_oci_manifest_pulls()
    {
        var name = $"{Registry}/test/busybox:oci";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains($"{name}", pull.Stdout);
        Assert.Equal("oci\n", (await Daemon.DockerAsync("run", "--rm", name, "echo", "oci")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task An_unknown_tag_fails_with_dockerds_message()
    {
        var pull = await Daemon.DockerAsync("pull", $"{Registry}/test/busybox:nosuch");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"manifest for {Registry}/test/busybox:nosuch not found: manifest unknown: manifest unknown", pull.Stderr);
        var images = (await Daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess();
        Assert.DoesNotContain($"{Registry}/test/busybox:nosuch", images.Lines);
    }

    [Fact]
    public async Task An_unknown_repository_is_not_found()
    {
        var pull = await Daemon.DockerAsync("pull", $"{Registry}/nosuch");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Matches($@"(manifest for {Registry}/nosuch:latest|repository {Registry}/nosuch) not found", pull.Stderr);
    }

    [Fact]
    public async Task Nothing_is_left_in_the_temporary_directory()
    {
        (await Daemon.DockerAsync("pull", $"{Registry}/test/busybox:v1")).AssertSuccess();
        var tmp = Path.Combine(Daemon.DataRoot, "tmp");
        if (Directory.Exists(tmp)) Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }
}
