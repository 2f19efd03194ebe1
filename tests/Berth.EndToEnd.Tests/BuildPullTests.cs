using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>A base image missing from the store is pulled during the build; <c>--pull</c> checks it again.</summary>
public sealed class BuildPullTests
{
    [Fact]
    public async Task From_pulls_a_missing_base_image_and_pull_refreshes_it()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"));
        await registry.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "base/busybox:v1");
        var dir = BuildContexts.Write(daemon, "pull", ("Dockerfile", $"FROM {registry.Host}/base/busybox:v1\nRUN echo on top > /top\n"));

        var first = (await daemon.BuildAsync("-t", "pulled", dir)).AssertSuccess();
        Assert.Contains("v1: Pulling from base/busybox", first.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {registry.Host}/base/busybox:v1", first.Stdout);
        Assert.Equal("on top", (await daemon.DockerAsync("run", "--rm", "pulled", "cat", "/top")).AssertSuccess().Stdout.Trim());

        var again = (await daemon.BuildAsync("-t", "pulled", dir)).AssertSuccess();
        Assert.DoesNotContain("Pulling from", again.Stdout);
        var refreshed = (await daemon.BuildAsync("--pull", "-t", "pulled", dir)).AssertSuccess();
        Assert.Contains($"Status: Image is up to date for {registry.Host}/base/busybox:v1", refreshed.Stdout);
        Assert.Contains(" ---> Using cache", refreshed.Stdout);
    }

    [Fact]
    public async Task A_private_base_image_is_pulled_with_the_clients_login()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"), "alice", "secret");
        await registry.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "private/base:v1", "--dest-creds", "alice:secret");
        var dir = BuildContexts.Write(daemon, "private", ("Dockerfile", $"FROM {registry.Host}/private/base:v1\nRUN echo built > /built\n"));

        var anonymous = await daemon.BuildAsync(dir);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("no basic auth credentials", anonymous.Stderr);

        // The CLI sends every stored login in X-Registry-Config; the builder picks the base image's registry.
        (await daemon.DockerAsync(["login", "-u", "alice", "--password-stdin", registry.Host],
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes("secret\n")))).AssertSuccess();
        var build = (await daemon.BuildAsync("-t", "from-private", dir)).AssertSuccess();
        Assert.Contains("v1: Pulling from private/base", build.Stdout);
        Assert.Equal("built", (await daemon.DockerAsync("run", "--rm", "from-private", "cat", "/built")).AssertSuccess().Stdout.Trim());
    }
}
