using System.Diagnostics;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>The run options of the issue that shape a container's process and identity, through the docker CLI.</summary>
public sealed class ContainerRunOptionsTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task Environment_files_labels_entrypoint_hostname_and_working_directory_apply()
    {
        var envFile = Path.Combine(daemon.Root, "env.list");
        await File.WriteAllTextAsync(envFile, "A=1\n# a comment\nB=two words\n");
        Assert.Equal("1|two words|3\n", (await daemon.DockerAsync("run", "--rm", "--env-file", envFile, "-e", "C=3", "busybox", "sh", "-c", "echo \"$A|$B|$C\"")).AssertSuccess().Stdout);

        var labelFile = Path.Combine(daemon.Root, "labels.list");
        await File.WriteAllTextAsync(labelFile, "team=blue\n");
        (await daemon.DockerAsync("create", "--name", "labelled", "--label-file", labelFile, "-l", "extra=x", "-l", "flag", "busybox", "true")).AssertSuccess();
        Assert.Equal("{\"extra\":\"x\",\"flag\":\"\",\"team\":\"blue\"}", (await daemon.DockerAsync("inspect", "-f", "{{json .Config.Labels}}", "labelled")).Stdout.Trim());
        Assert.Equal(["labelled"], (await daemon.DockerAsync("ps", "-a", "--filter", "label=team=blue", "--format", "{{.Names}}")).AssertSuccess().Lines);

        Assert.Equal("via-entrypoint\n", (await daemon.DockerAsync("run", "--rm", "--entrypoint", "/bin/echo", "busybox", "via-entrypoint")).AssertSuccess().Stdout);
        Assert.Equal("myhost\n", (await daemon.DockerAsync("run", "--rm", "--hostname", "myhost", "busybox", "hostname")).AssertSuccess().Stdout);
        // As dockerd: a missing working directory is created for the container's process.
        Assert.Equal("/tmp/newdir\n", (await daemon.DockerAsync("run", "--rm", "-w", "/tmp/newdir", "busybox", "pwd")).AssertSuccess().Stdout);
        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", (await daemon.DockerAsync("run", "--rm", "-u", "nobody", "busybox", "id")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Network_none_has_only_loopback_and_host_shares_the_daemons_stack()
    {
        // A veth pair in the daemon's namespace, to tell its stack from a new one.
        (await daemon.Namespace.RunAsync("ip", "link", "add", "probe0", "type", "veth", "peer", "name", "probe1")).AssertSuccess();
        const string Links = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort";
        var none = (await daemon.DockerAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", Links)).AssertSuccess();
        Assert.Equal(["lo"], none.Lines);
        var host = (await daemon.DockerAsync("run", "--rm", "--network", "host", "busybox", "sh", "-c", Links + "; hostname")).AssertSuccess();
        Assert.Equal(["berth0", "lo", "probe0", "probe1", daemon.HostName], host.Lines);
    }

    [Fact]
    public async Task Stop_signal_and_stop_timeout_decide_how_a_container_is_stopped()
    {
        (await daemon.DockerAsync("run", "-d", "--name", "usr1", "--stop-signal", "USR1", "busybox", "sh", "-c",
            "trap 'echo got-usr1; exit 5' USR1; echo ready; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "usr1")).Stdout.Contains("ready"), "the trap to be set");
        (await daemon.DockerAsync("stop", "usr1")).AssertSuccess();
        Assert.Equal("5 USR1", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}} {{.Config.StopSignal}}", "usr1")).Stdout.Trim());
        Assert.Contains("got-usr1", (await daemon.DockerAsync("logs", "usr1")).Stdout);

        // sleep as PID 1 ignores SIGTERM: after --stop-timeout it is killed.
        (await daemon.DockerAsync("run", "-d", "--name", "stubborn", "--stop-timeout", "1", "busybox", "sleep", "1000")).AssertSuccess();
        var clock = Stopwatch.StartNew();
        (await daemon.DockerAsync("stop", "stubborn")).AssertSuccess();
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 8);
        Assert.Equal("137 1", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}} {{.Config.StopTimeout}}", "stubborn")).Stdout.Trim());
    }
}
