using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>After a kill -9 of berthd and a new start, running containers are served as if nothing happened.</summary>
public sealed class LiveRestoreTests
{
    [Fact]
    public async Task Logs_follow_exec_wait_and_stop_work_on_containers_that_outlived_a_killed_berthd()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "ticker", "busybox", "sh", "-c",
            "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "ticker")).Stdout.Contains("tick3\n"), "the first ticks");

        await daemon.KillAsync();
        await daemon.StartProcessAsync();

        // logs -f goes on with what the container writes after the restart.
        var before = (await daemon.DockerAsync("logs", "ticker")).AssertSuccess().Lines.Length;
        var follow = await Processes.RunAsync("timeout", ["2", TestPaths.DockerCli, "logs", "-f", "ticker"],
            new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host, ["DOCKER_CONFIG"] = daemon.DockerConfig });
        Assert.Equal(124, follow.ExitCode);
        Assert.True(follow.Lines.Length > before + 5, $"logs -f showed {follow.Lines.Length} lines, {before} before it started");
        Assert.Equal(Enumerable.Range(0, follow.Lines.Length).Select(i => $"tick{i}"), follow.Lines);

        Assert.Equal("hi\n", (await daemon.DockerAsync("exec", "ticker", "echo", "hi")).AssertSuccess().Stdout);
        var wait = daemon.DockerAsync("wait", "ticker");
        (await daemon.DockerAsync("stop", "-t", "1", "ticker")).AssertSuccess();
        Assert.Equal("137\n", (await wait).AssertSuccess().Stdout);
        Assert.Equal("exited", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "ticker")).AssertSuccess().Stdout.Trim());
    }
}
