using System.Text;
using System.Text.RegularExpressions;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker push</c> to a registry that asks for HTTP Basic credentials (htpasswd), before and after <c>docker login</c>.</summary>
public sealed class RegistryPushAuthTests
{
    [Fact]
    public async Task A_push_needs_docker_login_and_then_uses_its_credentials()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var root = Path.Combine(daemon.Root, "registry");
        Directory.CreateDirectory(root);
        var htpasswd = Path.Combine(root, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, (await Processes.RunAsync("htpasswd", "-Bbn", "alice", "secret")).AssertSuccess().Stdout);
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, root, new LocalRegistryOptions(
            Auth: $"  htpasswd:\n    realm: berth-test\n    path: {htpasswd}"));
        var image = $"{registry.Host}/private/busybox:v1";
        (await daemon.DockerAsync("tag", "busybox", image)).AssertSuccess();

        // As dockerd 20.10: the layers are prepared, then the registry's demand for credentials ends the push.
        var anonymous = await daemon.DockerAsync("push", image);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains(": Preparing", anonymous.Stdout);
        Assert.Equal("no basic auth credentials", anonymous.Stderr.Trim());

        (await daemon.DockerAsync(["login", "-u", "alice", "--password-stdin", registry.Host], new MemoryStream(Encoding.UTF8.GetBytes("secret\n")))).AssertSuccess();
        var push = (await daemon.DockerAsync("push", image)).AssertSuccess();
        Assert.Contains(": Pushed", push.Stdout);
        var digest = Regex.Match(push.Stdout, @"v1: digest: (sha256:[0-9a-f]{64}) size: \d+").Groups[1].Value;
        Assert.NotEmpty(digest);

        // What was pushed is what a logged-in pull gets back, and it runs.
        (await daemon.DockerAsync("rmi", "-f", await TestImages.BusyboxIdAsync())).AssertSuccess();
        var pull = (await daemon.DockerAsync("pull", image)).AssertSuccess();
        Assert.Contains($"Digest: {digest}", pull.Stdout);
        Assert.Equal("hello\n", (await daemon.DockerAsync("run", "--rm", image, "echo", "hello")).AssertSuccess().Stdout);
    }
}
