using System.Text;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Pulls from a registry that delegates to a token server (<c>WWW-Authenticate: Bearer realm=…</c>), anonymously and logged in.</summary>
public sealed class RegistryTokenAuthTests
{
    [Fact]
    public async Task Bearer_tokens_anonymous_for_public_images_and_with_credentials_for_private_ones()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var root = Path.Combine(daemon.Root, "registry");
        Directory.CreateDirectory(root);
        await using var tokens = new TokenServer(daemon.Namespace, root, "alice", "secret");
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, root, new LocalRegistryOptions(Auth: tokens.RegistryAuthConfig));
        var archive = $"docker-archive:{await TestImages.BusyboxArchiveAsync()}";
        await registry.PushAsync(archive, "public/busybox:v1", "--dest-creds", "alice:secret");
        await registry.PushAsync(archive, "private/busybox:v1", "--dest-creds", "alice:secret");

        (await daemon.DockerAsync("pull", $"{registry.Host}/public/busybox:v1")).AssertSuccess();
        Assert.Contains(tokens.Requests, r => r.Query.Contains(KeyValuePair.Create("scope", "repository:public/busybox:pull"))
                                              && r.Query.Contains(KeyValuePair.Create("service", TokenServer.Service)) && !r.Headers.ContainsKey("Authorization"));

        var denied = await daemon.DockerAsync("pull", $"{registry.Host}/private/busybox:v1");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("unauthorized: authentication required", denied.Stderr);

        var wrong = await LoginAsync(daemon, registry.Host, "wrong");
        Assert.NotEqual(0, wrong.ExitCode);
        // The token server's refusal, passed on as dockerd's loginV2 does (HTTPS was tried first and fell back to HTTP).
        Assert.Contains($"Error response from daemon: Get \"http://{registry.Host}/v2/\": unauthorized: incorrect username or password", wrong.Stderr);

        Assert.Contains("Login Succeeded", (await LoginAsync(daemon, registry.Host, "secret")).AssertSuccess().Stdout);
        // Asked for an offline token, the token server gave a refresh token: the CLI keeps it instead of the password.
        var config = await File.ReadAllTextAsync(Path.Combine(daemon.DockerConfig, "config.json"));
        Assert.Contains("\"identitytoken\": \"refresh-", config);
        var image = $"{registry.Host}/private/busybox:v1";
        (await daemon.DockerAsync("pull", image)).AssertSuccess();
        (await daemon.DockerAsync("pull", image)).AssertSuccess();
        // The pulls sent the identity token (an OAuth refresh-token POST), and went with one access token: it is cached per scope.
        var privateTokens = tokens.Requests.Count(r => r.Method == "POST" && r.Form.Contains(KeyValuePair.Create("scope", "repository:private/busybox:pull")));
        Assert.Equal(1, privateTokens);
        Assert.Equal("hello\n", (await daemon.DockerAsync("run", "--rm", image, "echo", "hello")).AssertSuccess().Stdout);
    }

    private static Task<CommandResult> LoginAsync(BerthDaemon daemon, string host, string password) =>
        daemon.DockerAsync(["login", "-u", "alice", "--password-stdin", host], new MemoryStream(Encoding.UTF8.GetBytes(password + "\n")));
}
