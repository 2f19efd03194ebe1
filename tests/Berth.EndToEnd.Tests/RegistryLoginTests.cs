using System.Text;
using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker login</c> and pulls of private images from a registry that asks for HTTP Basic credentials (htpasswd).</summary>
public sealed class RegistryLoginTests
{
    [Fact]
    public async Task Login_then_pull_a_private_image_and_inspect_it_at_the_registry()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        await using var registry = await LocalRegistry.StartWithBasicAuthAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"), "alice", "secret");
        await registry.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "private/busybox:v1", "--dest-creds", "alice:secret");
        var image = $"{registry.Host}/private/busybox:v1";

        var anonymous = await daemon.DockerAsync("pull", image);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains($"Error response from daemon: Get \"http://{registry.Host}/v2/private/busybox/manifests/v1\": no basic auth credentials", anonymous.Stderr);

        var wrong = await LoginAsync(daemon, registry.Host, "alice", "wrong");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains($"Error response from daemon: login attempt to http://{registry.Host}/v2/ failed with status: 401 Unauthorized", wrong.Stderr);

        Assert.Contains("Login Succeeded", (await LoginAsync(daemon, registry.Host, "alice", "secret")).AssertSuccess().Stdout);
        var pull = (await daemon.DockerAsync("pull", image)).AssertSuccess();
        Assert.Contains($"Status: Downloaded newer image for {image}", pull.Stdout);
        Assert.Equal("hello\n", (await daemon.DockerAsync("run", "--rm", image, "echo", "hello")).AssertSuccess().Stdout);
        var digest = System.Text.RegularExpressions.Regex.Match(pull.Stdout, @"Digest: (sha256:[0-9a-f]{64})").Groups[1].Value;

        var (status, body) = await DistributionAsync(daemon, image, Auth("alice", "secret", registry.Host));
        Assert.Equal(200, status);
        using (var inspect = JsonDocument.Parse(body))
        {
            var descriptor = inspect.RootElement.GetProperty("Descriptor");
            Assert.Equal(digest, descriptor.GetProperty("digest").GetString());
            Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", descriptor.GetProperty("mediaType").GetString());
            var platform = Assert.Single(inspect.RootElement.GetProperty("Platforms").EnumerateArray());
            Assert.Equal("linux", platform.GetProperty("os").GetString());
            Assert.Equal(Berth.Api.HostPlatform.Architecture, platform.GetProperty("architecture").GetString());
        }

        // As dockerd: refused credentials are a 401 here, and a pull with them a 500 with the registry's words.
        var (refusedStatus, refusedBody) = await DistributionAsync(daemon, image, Auth("alice", "wrong", registry.Host));
        Assert.Equal(401, refusedStatus);
        Assert.Contains("unauthorized: authentication required", refusedBody);
        (await daemon.DockerAsync("logout", registry.Host)).AssertSuccess();
        (await daemon.DockerAsync("rmi", image)).AssertSuccess();
        var afterLogout = await daemon.DockerAsync("pull", image);
        Assert.Contains("no basic auth credentials", afterLogout.Stderr);
    }

    private static Task<CommandResult> LoginAsync(BerthDaemon daemon, string host, string user, string password) =>
        daemon.DockerAsync(["login", "-u", user, "--password-stdin", host], new MemoryStream(Encoding.UTF8.GetBytes(password + "\n")));

    /// <summary>An <c>X-Registry-Auth</c> value as the docker CLI makes it: base64url of the AuthConfig JSON.</summary>
    internal static string Auth(string user, string password, string server) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["username"] = user, ["password"] = password, ["serveraddress"] = server,
        })).Replace('+', '-').Replace('/', '_');

    /// <summary><c>GET /distribution/NAME/json</c> with curl over the daemon's socket: the status and the body.</summary>
    internal static async Task<(int Status, string Body)> DistributionAsync(BerthDaemon daemon, string name, string? auth)
    {
        var args = new List<string> { "-s", "--unix-socket", daemon.Socket, "-w", "\n%{http_code}" };
        if (auth is not null) args.AddRange(["-H", $"X-Registry-Auth: {auth}"]);
        args.Add($"http://localhost/v1.47/distribution/{name}/json");
        var result = (await Processes.RunAsync("curl", args.ToArray())).AssertSuccess();
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        return (int.Parse(lines[^1]), string.Join('\n', lines[..^1]));
    }
}
