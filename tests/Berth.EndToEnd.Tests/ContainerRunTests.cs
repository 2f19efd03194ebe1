using System.Text;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>docker run, ps, logs, stop and rm through the real docker CLI, with containers under runc and conmon.</summary>
public sealed class ContainerRunTests
{
    private static async Task<string> WaitForStatusAsync(BerthDaemon daemon, string name, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var state = (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", name)).Stdout.Trim();
            if (state == status) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} stayed {state}, expected {status}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Run_shows_output_keeps_streams_apart_and_returns_the_exit_code()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var run = await daemon.DockerAsync("run", "--name", "c1", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.Stdout);
        Assert.Equal("err\n", run.Stderr);

        var logs = await daemon.DockerAsync("logs", "c1");
        Assert.Equal("out\n", logs.Stdout);
        Assert.Equal("err\n", logs.Stderr);
        var ps = (await daemon.DockerAsync("ps", "-a", "--format", "{{.Names}} {{.Status}}")).AssertSuccess();
        Assert.Matches("^c1 Exited \\(3\\) .* ago$", ps.Stdout.Trim());
        Assert.Equal("3", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", "c1")).Stdout.Trim());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z out\n$", (await daemon.DockerAsync("logs", "-t", "c1")).Stdout);
        Assert.Matches(@"^\d+(\.\d+)?k?B \(virtual .*\)$", (await daemon.DockerAsync("ps", "-a", "-s", "--format", "{{.Size}}")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Run_rm_removes_the_container_and_stdin_reaches_it()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var run = await daemon.DockerAsync(["run", "--rm", "-i", "busybox", "cat"], new MemoryStream(Encoding.UTF8.GetBytes("piped\n")));
        run.AssertSuccess();
        Assert.Equal("piped\n", run.Stdout);
        Assert.Empty((await daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task Detached_containers_run_stop_and_are_removed()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var id = (await daemon.DockerAsync("run", "-d", "--name", "sleeper", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Matches("^sleeper Up ", (await daemon.DockerAsync("ps", "--format", "{{.Names}} {{.Status}}")).Stdout.Trim());
        Assert.True(int.Parse((await daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", id[..12])).Stdout.Trim()) > 0);

        var rm = await daemon.DockerAsync("rm", "sleeper");
        Assert.Equal(1, rm.ExitCode);
        Assert.Contains($"You cannot remove a running container {id}. Stop the container before attempting removal or force remove", rm.Stderr);

        (await daemon.DockerAsync("stop", "-t", "1", "sleeper")).AssertSuccess();
        Assert.Equal("137", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", "sleeper")).Stdout.Trim());
        (await daemon.DockerAsync("rm", "sleeper")).AssertSuccess();
        var gone = await daemon.DockerAsync("inspect", "sleeper");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("No such object: sleeper", gone.Stderr);
    }

    [Fact]
    public async Task Names_are_unique_and_a_missing_command_exits_127()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var id = (await daemon.DockerAsync("create", "--name", "taken", "busybox", "true")).AssertSuccess().Stdout.Trim();
        var again = await daemon.DockerAsync("create", "--name", "taken", "busybox", "true");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains($"Conflict. The container name \"/taken\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.", again.Stderr);

        var missing = await daemon.DockerAsync("run", "busybox", "nosuchcmd");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("executable file not found", missing.Stderr);
        Assert.Contains("No such container: nosuch", (await daemon.DockerAsync("start", "nosuch")).Stderr);
    }

    [Fact]
    public async Task Containers_keep_running_across_a_kill_of_berthd()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "live", "busybox", "sh", "-c", "echo started; exec sleep 1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "ends", "busybox", "sh", "-c", "sleep 1; exit 7")).AssertSuccess();
        var pid = (await daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", "live")).Stdout.Trim();

        await daemon.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // "ends" finishes while no berthd runs
        await daemon.StartProcessAsync();

        Assert.Equal("running", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "live")).Stdout.Trim());
        Assert.Equal(pid, (await daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", "live")).Stdout.Trim());
        await WaitForStatusAsync(daemon, "ends", "exited");
        Assert.Equal("7", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", "ends")).Stdout.Trim());
        Assert.Equal("started\n", (await daemon.DockerAsync("logs", "live")).Stdout);

        (await daemon.DockerAsync("stop", "-t", "1", "live")).AssertSuccess();
        Assert.Equal("exited", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "live")).Stdout.Trim());
    }
}
