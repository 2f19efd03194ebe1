using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Restart policies as dockerd applies them: after exits, after docker stop, across a berthd restart and across a host reboot.</summary>
public sealed class ContainerRestartPolicyTests
{
    private const string State = "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}";

    [Fact]
    public async Task On_failure_retries_up_to_its_count_and_then_stays_exited()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "rsa", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo ran; exit 1")).AssertSuccess();
        await daemon.WaitForAsync("rsa", State, "exited 1 2");
        Assert.False(await ExitsAgainWithinAsync(daemon, "rsa", TimeSpan.FromSeconds(2)), "a third retry ran");
        Assert.Equal("exited 1 2", await daemon.InspectAsync("rsa", State));
        Assert.Equal("ran\nran\nran\n", (await daemon.DockerAsync("logs", "rsa")).Stdout);
        Assert.StartsWith("Exited (1) ", (await daemon.DockerAsync("ps", "-a", "--filter", "name=rsa", "--format", "{{.Status}}")).Stdout);

        // A success is not retried; a manual start resets the count.
        (await daemon.DockerAsync("run", "-d", "--name", "ok", "--restart", "on-failure", "busybox", "true")).AssertSuccess();
        await daemon.WaitForAsync("ok", State, "exited 0 0");
        (await daemon.DockerAsync("start", "rsa")).AssertSuccess();
        await daemon.WaitForAsync("rsa", State, "exited 1 2");
    }

    [Fact]
    public async Task Always_restarts_after_an_exit_and_docker_stop_keeps_it_stopped()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "al", "--restart", "always", "busybox", "sleep", "1000")).AssertSuccess();
        var pid = await daemon.InspectAsync("al", "{{.State.Pid}}");
        Processes.Signal(int.Parse(pid), Processes.SIGKILL); // the process dies on its own, not by the user's hand
        await daemon.WaitForAsync("al", "{{.State.Status}} {{.RestartCount}}", "running 1");
        Assert.NotEqual(pid, await daemon.InspectAsync("al", "{{.State.Pid}}"));

        (await daemon.DockerAsync("run", "-d", "--name", "quick", "--restart", "always", "busybox", "sh", "-c", "echo ran; exit 0")).AssertSuccess();
        await WaitForCountAsync(daemon, "quick", 2);

        (await daemon.DockerAsync("stop", "-t", "1", "al")).AssertSuccess();
        Assert.Equal("exited 137", await daemon.InspectAsync("al", "{{.State.Status}} {{.State.ExitCode}}"));
        Assert.False(await ExitsAgainWithinAsync(daemon, "al", TimeSpan.FromSeconds(1.5)), "a stopped always container came back");
        Assert.Equal("exited", await daemon.InspectAsync("al", "{{.State.Status}}"));

        // docker kill is a stop by the user too.
        (await daemon.DockerAsync("run", "-d", "--name", "killed", "--restart", "always", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("kill", "killed")).AssertSuccess();
        await daemon.WaitForAsync("killed", State, "exited 137 0");
        Assert.False(await ExitsAgainWithinAsync(daemon, "killed", TimeSpan.FromSeconds(1.5)), "a killed always container came back");
    }

    [Fact]
    public async Task Unless_stopped_restarts_until_the_user_stops_it()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "us", "--restart", "unless-stopped", "busybox", "sleep", "1000")).AssertSuccess();
        Processes.Signal(int.Parse(await daemon.InspectAsync("us", "{{.State.Pid}}")), Processes.SIGKILL);
        await daemon.WaitForAsync("us", "{{.State.Status}} {{.RestartCount}}", "running 1");
        (await daemon.DockerAsync("stop", "-t", "1", "us")).AssertSuccess();
        Assert.False(await ExitsAgainWithinAsync(daemon, "us", TimeSpan.FromSeconds(1.5)), "a stopped unless-stopped container came back");
        Assert.Equal("exited", await daemon.InspectAsync("us", "{{.State.Status}}"));
    }

    [Fact]
    public async Task Policies_hold_across_a_berthd_restart()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "al", "--restart", "always", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "dies", "--restart", "on-failure", "busybox", "sh", "-c", "sleep 1; exit 3")).AssertSuccess();
        var pid = await daemon.InspectAsync("al", "{{.State.Pid}}");
        Assert.Equal(0, await daemon.StopAsync());

        await daemon.StartProcessAsync();
        Assert.Equal(pid, await daemon.InspectAsync("al", "{{.State.Pid}}"));
        Processes.Signal(int.Parse(pid), Processes.SIGKILL);
        await daemon.WaitForAsync("al", "{{.State.Status}} {{.RestartCount}}", "running 1");
        // "dies" exited while berthd was down or after it came back; either way the policy retries it.
        await WaitForCountAsync(daemon, "dies", 1);
    }

    [Fact]
    public async Task After_a_host_reboot_always_and_unless_stopped_containers_come_back()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        foreach (var (name, policy) in new[] { ("always", "always"), ("unless", "unless-stopped"), ("no", "no"), ("stopped-unless", "unless-stopped"), ("stopped-always", "always") })
            (await daemon.DockerAsync("run", "-d", "--name", name, "--restart", policy, "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "--name", "done", "--restart", "on-failure", "busybox", "true")).AssertSuccess();
        (await daemon.DockerAsync("create", "--name", "never", "--restart", "always", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--rm", "--name", "temporary", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("stop", "-t", "0", "stopped-unless", "stopped-always")).AssertSuccess();

        await daemon.SimulateRebootAsync();
        await daemon.StartProcessAsync();

        // As dockerd: always comes back even after docker stop; unless-stopped only when it was not stopped; a never-started container stays created.
        foreach (var name in new[] { "always", "unless", "stopped-always" })
            await daemon.WaitForAsync(name, "{{.State.Status}}", "running");
        Assert.Equal("exited", await daemon.InspectAsync("no", "{{.State.Status}}"));
        Assert.Equal("exited", await daemon.InspectAsync("stopped-unless", "{{.State.Status}}"));
        Assert.Equal("exited 0", await daemon.InspectAsync("done", "{{.State.Status}} {{.State.ExitCode}}"));
        Assert.Equal("created", await daemon.InspectAsync("never", "{{.State.Status}}"));
        Assert.Empty((await daemon.DockerAsync("ps", "-aq", "--filter", "name=temporary")).AssertSuccess().Lines);

        var pid = int.Parse(await daemon.InspectAsync("always", "{{.State.Pid}}"));
        Assert.True(Processes.IsAlive(pid));
        Assert.Equal("sleep 1000", File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim());
        (await daemon.DockerAsync("stop", "-t", "0", "always")).AssertSuccess();
        (await daemon.DockerAsync("rm", "always", "no")).AssertSuccess();
    }

    /// <summary>True when the container ends another run (a restart ran) within the time; false when it stays as it is.</summary>
    private static async Task<bool> ExitsAgainWithinAsync(BerthDaemon daemon, string name, TimeSpan time)
    {
        using var cts = new CancellationTokenSource(time);
        try
        {
            using var response = await daemon.Client.RawAsync(HttpMethod.Post, $"/containers/{name}/wait?condition=next-exit", ct: cts.Token);
            await response.Content.ReadAsStringAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForCountAsync(BerthDaemon daemon, string name, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (int.Parse(await daemon.InspectAsync(name, "{{.RestartCount}}")) < atLeast)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} was not restarted {atLeast} times\n{daemon.Log}");
            await Task.Delay(50);
        }
    }
}
