using System.Diagnostics;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>--init</c>: tini as PID 1, bind-mounted read-only at /sbin/docker-init, as dockerd does it.</summary>
public sealed class ContainerInitTests
{
    [Fact]
    public async Task Init_is_pid_1_with_the_command_below_it_and_stop_is_immediate()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--init", "--name", "withinit", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("true sleep [\"1000\"]", await daemon.InspectAsync("withinit", "{{json .HostConfig.Init}} {{.Path}} {{json .Args}}"));

        var pid = await daemon.InspectAsync("withinit", "{{.State.Pid}}");
        Assert.Equal("/sbin/docker-init -- sleep 1000", CommandLine(pid));
        var children = (await File.ReadAllTextAsync($"/proc/{pid}/task/{pid}/children")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sleep 1000", CommandLine(Assert.Single(children)));

        // tini passes SIGTERM on to sleep; without it, sleep as PID 1 would ignore it until the 10 s timeout.
        var clock = Stopwatch.StartNew();
        (await daemon.DockerAsync("stop", "withinit")).AssertSuccess();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stop took {clock.Elapsed}");
        Assert.Equal("exited 143", await daemon.InspectAsync("withinit", "{{.State.Status}} {{.State.ExitCode}}"));
    }

    [Fact]
    public async Task Inside_the_container_init_is_pid_1_and_mounted_read_only()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        var run = (await daemon.DockerAsync("run", "--rm", "--init", "busybox", "sh", "-c",
            "cat /proc/1/cmdline | tr '\\0' ' '; echo; ps -o pid,comm | sed -n 2p; grep ' /sbin/docker-init ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1")).AssertSuccess();
        var lines = run.Lines;
        Assert.Equal("/sbin/docker-init -- sh -c " + "cat /proc/1/cmdline | tr '\\0' ' '; echo; ps -o pid,comm | sed -n 2p; grep ' /sbin/docker-init ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1", lines[0].TrimEnd());
        Assert.Matches(@"^\s*1 docker-init$", lines[1]);
        Assert.Equal("ro", lines[2]);
    }

    [Fact]
    public async Task The_daemon_default_applies_to_containers_that_do_not_choose()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync("""{"init": true}""");
        var withDefault = (await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '")).AssertSuccess();
        Assert.StartsWith("/sbin/docker-init -- sh -c", withDefault.Stdout);
        var optedOut = (await daemon.DockerAsync("run", "--rm", "--init=false", "busybox", "sh", "-c", "cat /proc/1/cmdline | tr '\\0' ' '")).AssertSuccess();
        Assert.StartsWith("sh -c", optedOut.Stdout);
        var id = (await daemon.DockerAsync("create", "busybox")).AssertSuccess().Stdout.Trim();
        Assert.Equal("null", await daemon.InspectAsync(id, "{{json .HostConfig.Init}}"));
    }

    [Fact]
    public async Task Without_an_init_binary_the_start_says_so()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync(null, "--init-path", "/nonexistent/tini-static");
        var run = await daemon.DockerAsync("run", "--init", "--name", "noinit", "busybox", "true");
        Assert.Equal(127, run.ExitCode);
        Assert.Contains("docker: Error response from daemon: ", run.Stderr);
        Assert.Contains("--init needs a static init binary at /nonexistent/tini-static", run.Stderr);
        Assert.Equal("created", await daemon.InspectAsync("noinit", "{{.State.Status}}"));
        (await daemon.DockerAsync("run", "--rm", "busybox", "true")).AssertSuccess();
    }

    private static string CommandLine(string pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
}
