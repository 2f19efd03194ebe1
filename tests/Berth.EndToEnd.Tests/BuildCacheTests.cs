using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>The classic builder's cache: unchanged steps are reused, a changed file invalidates its step and those after it.</summary>
public sealed class BuildCacheTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string[] StepsUsingCache(string stdout)
    {
        var steps = new List<string>();
        string? current = null;
        foreach (var line in stdout.Split('\n'))
        {
            if (line.StartsWith("Step ", StringComparison.Ordinal)) current = line;
            else if (line == " ---> Using cache" && current is not null) steps.Add(current);
        }
        return [.. steps];
    }

    [Fact]
    public async Task An_unchanged_rebuild_uses_the_cache_for_every_step_and_gives_the_same_image()
    {
        var dir = BuildContexts.Write(Daemon, "cached", ("Dockerfile", """
            FROM busybox
            ENV A=1
            WORKDIR /app
            RUN echo built > file
            COPY input.txt /app/
            LABEL x=y
            CMD ["cat", "/app/input.txt"]
            """), ("input.txt", "one\n"));
        var first = (await Daemon.BuildAsync("-t", "cached:1", dir)).AssertSuccess();
        Assert.Empty(StepsUsingCache(first.Stdout));
        var firstId = (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", "cached:1")).AssertSuccess().Stdout.Trim();

        var second = (await Daemon.BuildAsync("-t", "cached:2", dir)).AssertSuccess();
        Assert.Equal(6, StepsUsingCache(second.Stdout).Length);
        Assert.DoesNotContain("Running in", second.Stdout);
        Assert.Equal(firstId, (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", "cached:2")).AssertSuccess().Stdout.Trim());

        var noCache = (await Daemon.BuildAsync("--no-cache", "-t", "cached:3", dir)).AssertSuccess();
        Assert.Empty(StepsUsingCache(noCache.Stdout));
        Assert.NotEqual(firstId, (await Daemon.DockerAsync("image", "inspect", "-f", "{{.Id}}", "cached:3")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Changing_a_copied_file_rebuilds_from_its_step_on()
    {
        var dockerfile = """
            FROM busybox
            RUN echo first > /first
            COPY a.txt /a.txt
            RUN cat /a.txt > /copy
            COPY b.txt /b.txt
            """;
        var dir = BuildContexts.Write(Daemon, "invalidate", ("Dockerfile", dockerfile), ("a.txt", "a1\n"), ("b.txt", "b\n"));
        (await Daemon.BuildAsync("-t", "invalidate", dir)).AssertSuccess();
        File.WriteAllText(Path.Combine(dir, "a.txt"), "a2\n");
        var rebuild = (await Daemon.BuildAsync("-t", "invalidate", dir)).AssertSuccess();
        Assert.Equal(["Step 2/5 : RUN echo first > /first"], StepsUsingCache(rebuild.Stdout));
        Assert.Equal("a2", (await Daemon.DockerAsync("run", "--rm", "invalidate", "cat", "/copy")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task A_changed_build_arg_invalidates_the_run_that_uses_it()
    {
        var dir = BuildContexts.Write(Daemon, "args", ("Dockerfile", "FROM busybox\nARG V=1\nRUN echo $V > /v\n"));
        (await Daemon.BuildAsync("-t", "args", dir)).AssertSuccess();
        var same = (await Daemon.BuildAsync("-t", "args", dir)).AssertSuccess();
        Assert.Equal(2, StepsUsingCache(same.Stdout).Length);
        var changed = (await Daemon.BuildAsync("-t", "args", "--build-arg", "V=2", dir)).AssertSuccess();
        Assert.Equal(["Step 2/3 : ARG V=1"], StepsUsingCache(changed.Stdout));
        Assert.Equal("2", (await Daemon.DockerAsync("run", "--rm", "args", "cat", "/v")).AssertSuccess().Stdout.Trim());
    }
}
