using System.Net;
using Berth.Client;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker build</c> failures in dockerd's words: a failing RUN, parse errors, a bad context, unknown targets.</summary>
public sealed class BuildErrorTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_failing_run_ends_the_build_with_its_exit_code_and_keeps_its_container()
    {
        var dir = BuildContexts.Write(Daemon, "failing", ("Dockerfile", "FROM busybox\nRUN echo before\nRUN exit 3\nRUN echo never\n"));
        var build = await Daemon.BuildAsync("-t", "failing", dir);
        Assert.Equal(3, build.ExitCode);
        Assert.Contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3", build.Stderr);
        Assert.DoesNotContain("Step 4/4", build.Stdout);
        Assert.Contains("Removing intermediate container", build.Stdout);
        // As dockerd: the failed step's container stays for inspection (without --force-rm).
        var kept = (await Daemon.DockerAsync("ps", "-a", "--format", "{{.Status}}|{{.Command}}")).AssertSuccess().Lines;
        Assert.Contains(kept, l => l.StartsWith("Exited (3)", StringComparison.Ordinal) && l.Contains("exit 3"));
        Assert.NotEqual(0, (await Daemon.DockerAsync("image", "inspect", "failing")).ExitCode);

        (await Daemon.DockerAsync("container", "prune", "-f")).AssertSuccess();
        var forced = await Daemon.BuildAsync("--force-rm", dir);
        Assert.Equal(3, forced.ExitCode);
        Assert.Empty((await Daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task An_unknown_instruction_is_refused_with_its_line()
    {
        var dir = BuildContexts.Write(Daemon, "unknown", ("Dockerfile", "FROM busybox\n\nFOO bar\n"));
        var build = await Daemon.BuildAsync(dir);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("Error response from daemon: dockerfile parse error line 3: unknown instruction: FOO", build.Stderr);
    }

    [Fact]
    public async Task A_stage_name_used_twice_fails_at_the_second_from()
    {
        var dir = BuildContexts.Write(Daemon, "twice", ("Dockerfile", "FROM busybox AS one\nRUN true\nFROM busybox AS ONE\n"));
        var build = await Daemon.BuildAsync(dir);
        Assert.Equal(1, build.ExitCode);
        Assert.Contains("Step 3/3 : FROM busybox AS ONE", build.Stdout);
        Assert.Contains("one stage name already used", build.Stderr);
    }

    [Fact]
    public async Task A_missing_dockerfile_and_an_unknown_target_are_errors_before_any_step()
    {
        var dir = BuildContexts.Write(Daemon, "target", ("Dockerfile", "FROM busybox AS first\nRUN true\n"));
        var target = await Daemon.BuildAsync("--target", "nope", dir);
        Assert.Equal(1, target.ExitCode);
        Assert.Contains("failed to reach build target nope in Dockerfile", target.Stderr);
        Assert.DoesNotContain("Step 1/", target.Stdout);

        using var context = new MemoryStream(await Archives.TarAsync(Archives.File("other", "x")));
        var error = await Assert.ThrowsAsync<EngineApiException>(() => Daemon.Client.BuildImageAsync(context));
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("Cannot locate specified Dockerfile: Dockerfile", error.Message);
    }

    [Fact]
    public async Task A_context_entry_leaving_the_context_is_refused()
    {
        using var context = new MemoryStream(await Archives.TarAsync(
            Archives.File("Dockerfile", "FROM busybox\nRUN true\n"), Archives.File("../escaped", "x")));
        var error = await Assert.ThrowsAsync<EngineApiException>(() => Daemon.Client.BuildImageAsync(context));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("invalid build context: \"../escaped\" is outside of the archive's root", error.Message);
        Assert.False(File.Exists(Path.Combine(Daemon.DataRoot, "escaped")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(Daemon.DataRoot, "tmp"), "build-*"));
    }

    [Fact]
    public async Task An_error_after_the_first_step_arrives_in_the_stream()
    {
        using var context = new MemoryStream(await Archives.TarAsync(Archives.File("Dockerfile", "FROM busybox\nRUN exit 7\n")));
        var error = await Assert.ThrowsAsync<EngineStreamException>(() => Daemon.Client.BuildImageAsync(context, [KeyValuePair.Create("q", "1")]));
        Assert.Equal("The command '/bin/sh -c exit 7' returned a non-zero code: 7", error.Message);
    }
}
