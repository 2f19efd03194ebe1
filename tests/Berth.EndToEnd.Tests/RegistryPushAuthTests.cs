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
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"), "alice", "secret");
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

    [Fact]
    public async Task A_push_through_a_token_server_asks_for_push_scope_and_mounts_with_the_registrys_scope()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var root = Path.Combine(daemon.Root, "registry");
        Directory.CreateDirectory(root);
        await using var tokens = new TokenServer(daemon.Namespace, root, "alice", "secret");
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, root, new LocalRegistryOptions(Auth: tokens.RegistryAuthConfig));
        var first = $"{registry.Host}/private/first:v1";
        (await daemon.DockerAsync("tag", "busybox", first)).AssertSuccess();

        var anonymous = await daemon.DockerAsync("push", first);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("unauthorized: authentication required", anonymous.Stderr);

        (await daemon.DockerAsync(["login", "-u", "alice", "--password-stdin", registry.Host], new MemoryStream(Encoding.UTF8.GetBytes("secret\n")))).AssertSuccess();
        Assert.Contains(": Pushed", (await daemon.DockerAsync("push", first)).AssertSuccess().Stdout);
        // Logged in, the token comes with the user's credentials or the refresh token docker login got (OAuth form).
        Assert.Contains(tokens.Requests, r => r.Query.Concat(r.Form).Contains(KeyValuePair.Create("scope", "repository:private/first:pull,push"))
                                              && (r.Headers.ContainsKey("Authorization") || r.Form.Contains(KeyValuePair.Create("grant_type", "refresh_token"))));

        // A mount needs pull access to the source too: the registry's challenge names both scopes and the token is asked for again.
        var second = $"{registry.Host}/private/second:v1";
        (await daemon.DockerAsync("tag", "busybox", second)).AssertSuccess();
        Assert.Contains(": Mounted from private/first", (await daemon.DockerAsync("push", second)).AssertSuccess().Stdout);
    }
}
