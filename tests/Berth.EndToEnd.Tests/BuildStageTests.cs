using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Multi-stage builds: stages by name and index, --target, COPY --from, meta ARGs in FROM.</summary>
public sealed class BuildStageTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private const string MultiStage = """
        ARG BASE=busybox
        FROM ${BASE} AS builder
        WORKDIR /src
        RUN echo compiled > artifact && echo data > other
        FROM builder AS tester
        RUN echo tested > /src/tested
        FROM scratch AS final
        COPY --from=builder /src/artifact /artifact
        COPY --from=0 /src/other /other
        COPY --from=busybox /bin/busybox /busybox
        CMD ["/busybox", "cat", "/artifact", "/other"]
        """;

    [Fact]
    public async Task Stages_copy_from_each_other_and_the_last_one_is_the_image()
    {
        var dir = BuildContexts.Write(Daemon, "multi", ("Dockerfile", MultiStage));
        var build = (await Daemon.BuildAsync("-t", "multi", dir)).AssertSuccess();
        Assert.Contains("Step 1/11 : ARG BASE=busybox", build.Stdout);
        Assert.Contains("Step 2/11 : FROM ${BASE} AS builder", build.Stdout);
        Assert.Equal("compiled\ndata", (await Daemon.DockerAsync("run", "--rm", "multi")).AssertSuccess().Stdout.Trim());
        // Only what the last stage copied: three layers, no busybox tree.
        var layers = (await Daemon.DockerAsync("image", "inspect", "-f", "{{len .RootFS.Layers}}", "multi")).AssertSuccess().Stdout.Trim();
        Assert.Equal("3", layers);
    }

    [Fact]
    public async Task Target_stops_after_the_named_stage()
    {
        var dir = BuildContexts.Write(Daemon, "target", ("Dockerfile", MultiStage));
        var build = (await Daemon.BuildAsync("--target", "tester", "-t", "tester", dir)).AssertSuccess();
        Assert.Contains("Step 6/6 : RUN echo tested > /src/tested", build.Stdout);
        Assert.DoesNotContain("FROM scratch", build.Stdout);
        Assert.Equal("compiled\ntested", (await Daemon.DockerAsync("run", "--rm", "tester", "cat", "/src/artifact", "/src/tested")).AssertSuccess().Stdout.Trim());
    }
}
