using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker build</c> (classic builder): what each instruction does to the image, its history and its steps.</summary>
public sealed class BuildInstructionTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<JsonElement> InspectAsync(string name)
    {
        var result = (await Daemon.DockerAsync("image", "inspect", name)).AssertSuccess();
        return JsonDocument.Parse(result.Stdout).RootElement[0].Clone();
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Metadata_instructions_configure_the_image_and_each_step_is_in_the_history()
    {
        var dir = BuildContexts.Write(Daemon, "metadata", ("Dockerfile", """
            FROM busybox
            MAINTAINER someone@example.com
            ENV A=b C="d e"
            ENV FROM_A=$A
            LABEL team=x "with space"="y z"
            EXPOSE 80 53/udp
            USER nobody
            VOLUME ["/data"]
            STOPSIGNAL SIGUSR1
            HEALTHCHECK --interval=30s --retries=3 CMD true
            SHELL ["/bin/sh", "-ec"]
            ENTRYPOINT ["/bin/sh"]
            CMD ["-c", "echo hi"]
            ONBUILD RUN echo triggered
            """));
        var build = (await Daemon.BuildAsync("-t", "meta:1", dir)).AssertSuccess();
        Assert.Contains("Step 14/14 : ONBUILD RUN echo triggered", build.Stdout);
        Assert.Contains("Successfully tagged meta:1", build.Stdout);

        var image = await InspectAsync("meta:1");
        Assert.Equal("someone@example.com", image.GetProperty("Author").GetString());
        var config = image.GetProperty("Config");
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=b", "C=d e", "FROM_A=b"], Strings(config.GetProperty("Env")));
        Assert.Equal("x", config.GetProperty("Labels").GetProperty("team").GetString());
        Assert.Equal("y z", config.GetProperty("Labels").GetProperty("with space").GetString());
        Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("80/tcp", out _));
        Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("53/udp", out _));
        Assert.Equal("nobody", config.GetProperty("User").GetString());
        Assert.True(config.GetProperty("Volumes").TryGetProperty("/data", out _));
        Assert.Equal("SIGUSR1", config.GetProperty("StopSignal").GetString());
        Assert.Equal(["CMD-SHELL", "true"], Strings(config.GetProperty("Healthcheck").GetProperty("Test")));
        Assert.Equal(30_000_000_000L, config.GetProperty("Healthcheck").GetProperty("Interval").GetInt64());
        Assert.Equal(["/bin/sh", "-ec"], Strings(config.GetProperty("Shell")));
        Assert.Equal(["/bin/sh"], Strings(config.GetProperty("Entrypoint")));
        Assert.Equal(["-c", "echo hi"], Strings(config.GetProperty("Cmd")));
        Assert.Equal(["RUN echo triggered"], Strings(config.GetProperty("OnBuild")));

        var history = (await Daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", "meta:1")).AssertSuccess().Lines;
        Assert.Equal([
            "/bin/sh -ec #(nop)  ONBUILD RUN echo triggered",
            "/bin/sh -ec #(nop)  CMD [\"-c\" \"echo hi\"]",
            "/bin/sh -ec #(nop)  ENTRYPOINT [\"/bin/sh\"]",
            "/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]",
            "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"30s\" \"0s\" \"0s\" '\\x03'}",
            "/bin/sh -c #(nop)  STOPSIGNAL SIGUSR1",
            "/bin/sh -c #(nop)  VOLUME [/data]",
            "/bin/sh -c #(nop)  USER nobody",
            "/bin/sh -c #(nop)  EXPOSE 53/udp 80",
            "/bin/sh -c #(nop)  LABEL team=x with space=y z",
            "/bin/sh -c #(nop)  ENV FROM_A=b",
            "/bin/sh -c #(nop)  ENV A=b C=d e",
            "/bin/sh -c #(nop)  MAINTAINER someone@example.com",
        ], history.Take(13));

        // The trigger runs when the image is used as a base, before the first instruction.
        var child = BuildContexts.Write(Daemon, "onbuild-child", ("Dockerfile", "FROM meta:1\nCMD [\"true\"]\n"));
        var childBuild = (await Daemon.BuildAsync(child)).AssertSuccess();
        Assert.Contains("# Executing 1 build trigger", childBuild.Stdout);
        Assert.Contains("triggered", childBuild.Stdout);
    }

    [Fact]
    public async Task Run_uses_the_shell_and_workdir_and_build_args_reach_run_only()
    {
        var dir = BuildContexts.Write(Daemon, "run", ("Dockerfile", """
            FROM busybox
            ARG VERSION=1
            ARG UNUSED_DEFAULT
            WORKDIR /app/sub
            RUN echo "version=$VERSION pwd=$(pwd)" > /app/out.txt
            CMD ["cat", "/app/out.txt"]
            """));
        var build = (await Daemon.BuildAsync("-t", "runner", "--build-arg", "VERSION=2", "--build-arg", "OTHER=x", dir)).AssertSuccess();
        Assert.Contains("[Warning] One or more build-args [OTHER] were not consumed", build.Stdout);
        var run = (await Daemon.DockerAsync("run", "--rm", "runner")).AssertSuccess();
        Assert.Equal("version=2 pwd=/app/sub", run.Stdout.Trim());

        var image = await InspectAsync("runner");
        Assert.DoesNotContain(Strings(image.GetProperty("Config").GetProperty("Env")), e => e.StartsWith("VERSION=", StringComparison.Ordinal));
        Assert.Equal("/app/sub", image.GetProperty("Config").GetProperty("WorkingDir").GetString());
        var history = (await Daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", "runner")).AssertSuccess().Lines;
        Assert.Equal("|1 VERSION=2 /bin/sh -c echo \"version=$VERSION pwd=$(pwd)\" > /app/out.txt", history[1]);
        Assert.Equal("/bin/sh -c #(nop) WORKDIR /app/sub", history[2]);
        Assert.Equal("/bin/sh -c #(nop)  ARG UNUSED_DEFAULT", history[3]);
        Assert.Equal("/bin/sh -c #(nop)  ARG VERSION=1", history[4]);
    }

    [Fact]
    public async Task Steps_are_intermediate_images_and_their_containers_are_removed()
    {
        var dir = BuildContexts.Write(Daemon, "intermediate", ("Dockerfile", "FROM busybox\nENV STEP=1\nRUN touch /made\n"));
        var build = (await Daemon.BuildAsync("-t", "intermediate", dir)).AssertSuccess();
        Assert.Matches(@" ---> Running in [0-9a-f]{12}\n", build.Stdout);
        Assert.Matches(@"Removing intermediate container [0-9a-f]{12}\n", build.Stdout);
        var all = (await Daemon.DockerAsync("images", "-a", "--no-trunc", "--format", "{{.ID}}")).AssertSuccess().Lines;
        var image = await InspectAsync("intermediate");
        var parent = image.GetProperty("Parent").GetString()!;
        Assert.Contains(parent, all);
        Assert.Equal("/bin/sh -c #(nop)  ENV STEP=1", (await Daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", parent)).AssertSuccess().Lines[0]);
        Assert.Empty((await Daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines);
        Assert.Equal("", (await Daemon.DockerAsync("run", "--rm", "intermediate", "ls", "/made")).AssertSuccess().Stderr);
    }

    [Fact]
    public async Task Quiet_prints_only_the_image_id()
    {
        var dir = BuildContexts.Write(Daemon, "quiet", ("Dockerfile", "FROM busybox\nRUN echo noisy\n"));
        var build = (await Daemon.BuildAsync("-q", dir)).AssertSuccess();
        Assert.Matches("^sha256:[0-9a-f]{64}$", build.Stdout.Trim());
    }

    [Fact]
    public async Task Copy_and_volume_expand_each_written_word_as_one_word()
    {
        var dir = BuildContexts.Write(Daemon, "words", ("Dockerfile", "FROM busybox\nENV PAIR=\"/a /b\" SRC=f\nVOLUME $PAIR\nCOPY $SRC /c/\n"), ("f", "x"));
        (await Daemon.BuildAsync("-t", "words", dir)).AssertSuccess();
        var config = (await InspectAsync("words")).GetProperty("Config");
        // As dockerd: the variable's space does not split the word, so this is one volume named "/a /b".
        Assert.Equal(["/a /b"], config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name));
        Assert.Equal("x", (await Daemon.DockerAsync("run", "--rm", "words", "cat", "/c/f")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Label_options_are_one_step_each_at_the_end()
    {
        var dir = BuildContexts.Write(Daemon, "labels", ("Dockerfile", "FROM busybox\nLABEL in=file\n"));
        var build = (await Daemon.BuildAsync("--label", "z=last", "--label", "a=$HOME 'quoted'", "-t", "labelled", dir)).AssertSuccess();
        Assert.Contains("Step 3/4 : LABEL a=$HOME 'quoted'", build.Stdout);
        Assert.Contains("Step 4/4 : LABEL z=last", build.Stdout);
        var labels = (await InspectAsync("labelled")).GetProperty("Config").GetProperty("Labels");
        Assert.Equal("$HOME 'quoted'", labels.GetProperty("a").GetString());
        Assert.Equal("file", labels.GetProperty("in").GetString());
        Assert.Equal("last", labels.GetProperty("z").GetString());
    }

    [Fact]
    public async Task A_client_that_goes_away_stops_the_running_step()
    {
        using var context = new MemoryStream(await Archives.TarAsync(Archives.File("Dockerfile", "FROM busybox\nRUN sleep 60\n")));
        using var cancel = new CancellationTokenSource();
        var build = Daemon.Client.BuildImageAsync(context, ct: cancel.Token);
        await Poll.UntilAsync(async () => (await Daemon.DockerAsync("ps", "-q")).Lines.Length == 1, "the RUN step's container to run");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        await Poll.UntilAsync(async () => (await Daemon.DockerAsync("ps", "-a", "--format", "{{.Status}}")).Stdout.StartsWith("Exited (137)", StringComparison.Ordinal),
            "the step's container to be killed");
        (await Daemon.DockerAsync("container", "prune", "-f")).AssertSuccess();
    }

    [Fact]
    public async Task Run_steps_get_the_builds_network_and_extra_hosts()
    {
        var dir = BuildContexts.Write(Daemon, "network", ("Dockerfile", "FROM busybox\nRUN ls /sys/class/net && grep buildhost /etc/hosts\n"));
        var build = (await Daemon.BuildAsync("--no-cache", "--network", "none", "--add-host", "buildhost:10.1.2.3", dir)).AssertSuccess();
        var output = build.Stdout.Split('\n');
        Assert.Contains("lo", output);
        Assert.DoesNotContain("eth0", output);
        Assert.Contains(output, l => l.StartsWith("10.1.2.3", StringComparison.Ordinal) && l.EndsWith("buildhost", StringComparison.Ordinal));
    }
}
