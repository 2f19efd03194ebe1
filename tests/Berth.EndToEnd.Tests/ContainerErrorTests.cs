using System.Net;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Status codes, messages and <c>docker run</c> exit codes of failed starts and lookups, as dockerd 20.10 gives them.</summary>
public sealed class ContainerErrorTests
{
    private const string ShimPrefix = "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";

    [Fact]
    public async Task Runtime_start_failures_are_400_and_leave_the_container_created()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("create", "--name", "raw127", "busybox", "nosuchcmd")).AssertSuccess();
        var (status, body) = await RawAsync(daemon, HttpMethod.Post, "/v1.41/containers/raw127/start");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($$"""{"message":"{{ShimPrefix}}exec: \"nosuchcmd\": executable file not found in $PATH: unknown"}""" + "\n", body);
        Assert.Equal($"created 127 {ShimPrefix}exec: \"nosuchcmd\": executable file not found in $PATH: unknown 0001-01-01T00:00:00Z",
            await daemon.InspectAsync("raw127", "{{.State.Status}} {{.State.ExitCode}} {{.State.Error}} {{.State.StartedAt}}"));
        Assert.Equal("Created", (await daemon.DockerAsync("ps", "-a", "--filter", "name=raw127", "--format", "{{.Status}}")).Stdout.Trim());

        var notExecutable = await daemon.DockerAsync("run", "busybox", "/etc");
        Assert.Equal(126, notExecutable.ExitCode);
        Assert.Contains($"docker: Error response from daemon: {ShimPrefix}exec: \"/etc\": permission denied: unknown", notExecutable.Stderr);
        var missingPath = await daemon.DockerAsync("run", "busybox", "/no/such/path");
        Assert.Equal(127, missingPath.ExitCode);
        Assert.Contains("no such file or directory", missingPath.Stderr);

        // docker run -d prints the ID first, then fails with the same code.
        var detached = await daemon.DockerAsync("run", "-d", "busybox", "nosuchcmd");
        Assert.Equal(127, detached.ExitCode);
        Assert.Matches("^[0-9a-f]{64}\n$", detached.Stdout);

        Assert.Equal(127, (await daemon.DockerAsync("run", "--rm", "--name", "gone", "busybox", "nosuchcmd")).ExitCode);
        Assert.Empty((await daemon.DockerAsync("ps", "-aq", "--filter", "name=gone")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task An_unknown_user_is_500_and_docker_run_exits_125()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("create", "--name", "rawuser", "-u", "nosuchuser", "busybox", "true")).AssertSuccess();
        var (status, body) = await RawAsync(daemon, HttpMethod.Post, "/v1.41/containers/rawuser/start");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("""{"message":"unable to find user nosuchuser: no matching entries in passwd file"}""" + "\n", body);

        var run = await daemon.DockerAsync("run", "-u", "nosuchuser", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.StartsWith("docker: Error response from daemon: unable to find user nosuchuser: no matching entries in passwd file", run.Stderr);
        var group = await daemon.DockerAsync("run", "-u", "root:nosuchgroup", "busybox", "true");
        Assert.Equal(125, group.ExitCode);
        Assert.Contains("unable to find group nosuchgroup: no matching entries in group file", group.Stderr);
    }

    [Fact]
    public async Task An_ambiguous_id_prefix_is_dockerds_500()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        var ids = new List<string>();
        string? prefix = null;
        // Seventeen IDs must share a first hex digit; usually a handful do.
        while (prefix is null)
        {
            ids.Add((await daemon.DockerAsync("create", "busybox")).AssertSuccess().Stdout.Trim());
            prefix = ids.GroupBy(id => id[..1]).FirstOrDefault(g => g.Count() > 1)?.Key;
        }
        var (status, body) = await RawAsync(daemon, HttpMethod.Get, $"/v1.41/containers/{prefix}/json");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal($$"""{"message":"Multiple IDs found with provided prefix: {{prefix}}"}""" + "\n", body);
        var rm = await daemon.DockerAsync("rm", prefix);
        Assert.Equal(1, rm.ExitCode);
        Assert.Equal($"Error response from daemon: Multiple IDs found with provided prefix: {prefix}\n", rm.Stderr);
        // A unique longer prefix still finds its container.
        var one = ids.First(id => id.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal(one, await daemon.InspectAsync(one[..12], "{{.Id}}"));
    }

    [Fact]
    public async Task Logs_answer_with_dockerds_headers()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "--name", "lg", "busybox", "sh", "-c", "echo out1; echo err1 >&2")).AssertSuccess();
        using var old = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/lg/logs?stdout=1&stderr=1");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Null(old.Content.Headers.ContentType);
        Assert.True(old.Headers.TransferEncodingChunked);
        var bytes = await old.Content.ReadAsByteArrayAsync();
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 5, .. "out1\n"u8.ToArray(), 2, 0, 0, 0, 0, 0, 0, 5, .. "err1\n"u8.ToArray()], bytes);

        using var current = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.47/containers/lg/logs?stdout=1");
        Assert.Equal("application/vnd.docker.multiplexed-stream", current.Content.Headers.ContentType?.MediaType);

        var (status, body) = await RawAsync(daemon, HttpMethod.Get, "/v1.41/containers/lg/logs");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"message":"Bad parameters: you must choose at least one stream"}""" + "\n", body);
    }

    private static async Task<(HttpStatusCode, string)> RawAsync(BerthDaemon daemon, HttpMethod method, string path)
    {
        using var response = await daemon.Client.RawAsync(method, path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
