using System.Net.Sockets;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>How berthd starts, refuses to start, listens, switches storage drivers and shuts down.</summary>
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task Sigterm_shuts_down_cleanly_and_state_survives_a_restart()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        var pidFile = Path.Combine(daemon.ExecRoot, "berthd.pid");
        Assert.Equal(daemon.Pid.ToString(), (await File.ReadAllTextAsync(pidFile)).Trim());

        Assert.Equal(0, await daemon.StopAsync(Processes.SIGTERM));
        Assert.Contains("Daemon shutdown complete", daemon.Log);
        Assert.False(File.Exists(daemon.Socket));
        Assert.False(File.Exists(pidFile));

        await daemon.StartProcessAsync();
        Assert.Equal("busybox:latest", (await daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().Stdout.Trim());
        Assert.Equal(0, await daemon.StopAsync(Processes.SIGINT));
    }

    [Fact]
    public async Task A_kill_9_leaves_a_store_the_next_start_loads()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        await daemon.KillAsync();
        Assert.True(File.Exists(daemon.Socket), "a killed daemon cannot remove its socket");
        await daemon.StartProcessAsync();
        Assert.Equal(await TestImages.BusyboxIdAsync(), (await daemon.DockerAsync("image", "inspect", "--format", "{{.Id}}", "busybox")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_data_root_refuses_to_start()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var other = Path.Combine(daemon.Root, "other");
        var second = await Processes.RunAsync(TestPaths.Berthd, "--data-root", daemon.DataRoot, "--exec-root", daemon.ExecRoot + "b",
            "-H", $"unix://{other}/berth.sock", "--config-file", daemon.ConfigFile);
        Assert.Equal(1, second.ExitCode);
        if (Directory.Exists(daemon.ExecRoot + "b")) Directory.Delete(daemon.ExecRoot + "b", recursive: true);
        Assert.Contains($"another berthd is already running with data root {daemon.DataRoot}", second.Stderr);
        Assert.Equal("OK", await daemon.Client.PingAsync());
    }

    [Fact]
    public async Task A_socket_another_daemon_serves_is_not_taken_over()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var other = Path.Combine(daemon.Root, "other");
        var otherExec = daemon.ExecRoot + "o";
        try
        {
            var second = await Processes.RunAsync(TestPaths.Berthd, "--data-root", Path.Combine(other, "data"), "--exec-root", otherExec,
                "-H", daemon.Host, "--config-file", daemon.ConfigFile);
            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"another daemon is already listening on {daemon.Host}", second.Stderr);
            Assert.Equal("OK", await daemon.Client.PingAsync());
        }
        finally
        {
            if (Directory.Exists(otherExec)) Directory.Delete(otherExec, recursive: true);
        }
    }

    [Fact]
    public async Task An_exec_root_too_long_for_container_sockets_is_refused()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var tooLong = "/run/" + new string('x', 40);
        var second = await Processes.RunAsync(TestPaths.Berthd, "--data-root", Path.Combine(daemon.Root, "other"), "--exec-root", tooLong,
            "-H", "unix://" + Path.Combine(daemon.Root, "other.sock"), "--config-file", daemon.ConfigFile);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"the exec root {tooLong} is too long", second.Stderr);
        Assert.False(Directory.Exists(tooLong));
    }

    [Theory]
    [InlineData("""{"debug": true, "no-such-option": 1}""", "the following directives don't match any configuration option: no-such-option")]
    [InlineData("""{"live-restore": true}""", "the following directives are dockerd options that berthd does not support yet: live-restore")]
    [InlineData("""{"debug": """, "unable to configure the Berth daemon with file")]
    [InlineData("""{"debug": "yes"}""", "\"debug\" must be a boolean, not a string")]
    public async Task A_bad_configuration_file_stops_the_start_with_a_message(string config, string message)
    {
        var dir = Directory.CreateTempSubdirectory("berth-config-");
        try
        {
            var file = Path.Combine(dir.FullName, "daemon.json");
            await File.WriteAllTextAsync(file, config);
            var result = await Processes.RunAsync(TestPaths.Berthd, "--config-file", file, "--data-root", Path.Combine(dir.FullName, "data"),
                "--exec-root", Path.Combine(dir.FullName, "exec"));
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(message, result.Stderr);
            Assert.False(Directory.Exists(Path.Combine(dir.FullName, "data")), "nothing is created before the configuration is valid");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_root_it_says_so()
    {
        var result = await Processes.RunAsync("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", TestPaths.Berthd, "--data-root", "/nonexistent");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("berthd needs to be started with root privileges (it manages mounts, namespaces and cgroups)\n", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_flag_is_refused()
    {
        var result = await Processes.RunAsync(TestPaths.Berthd, "--no-such-flag");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--no-such-flag", result.Stderr);
        Assert.Contains("See 'berthd --help'.", result.Stderr);
        var help = await Processes.RunAsync(TestPaths.Berthd, "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var flag in new[] { "--host", "--data-root", "--exec-root", "--pidfile", "--config-file", "--debug", "--log-level", "--storage-driver" })
            Assert.Contains(flag, help.Stdout);
    }

    [Fact]
    public async Task Listens_on_tcp_and_unix_at_once()
    {
        await using var daemon = await BerthDaemon.StartAsync(null, "-H", "tcp://127.0.0.1:2375");
        Assert.Contains("API listen on 127.0.0.1:2375", daemon.Log);
        // The TCP listener is on the namespace's own loopback, so the CLI runs inside the namespace too.
        var tcp = await daemon.Namespace.RunAsync(TestPaths.DockerCli, "-H", "tcp://127.0.0.1:2375", "version", "--format", "{{.Server.Version}}");
        tcp.AssertSuccess();
        Assert.Equal((await daemon.Client.VersionAsync()).Version, tcp.Stdout.Trim());
        var info = (await daemon.DockerAsync("info", "--format", "{{json .Warnings}}")).AssertSuccess();
        Assert.Contains("API is accessible on http://127.0.0.1:2375 without encryption", info.Stdout);
    }

    [Fact]
    public async Task Debug_mode_logs_each_request()
    {
        await using var daemon = await BerthDaemon.StartAsync("""{"debug": true}""");
        (await daemon.DockerAsync("images")).AssertSuccess();
        Assert.Contains("level=debug msg=\"Calling GET /v1.47/images/json\"", daemon.Log);
        Assert.Equal("true", (await daemon.DockerAsync("info", "--format", "{{.Debug}}")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Each_storage_driver_sees_only_its_own_images()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        await daemon.StopAsync();

        await File.WriteAllTextAsync(daemon.ConfigFile, """{"storage-driver": "vfs"}""");
        await daemon.StartProcessAsync();
        Assert.Equal("vfs", (await daemon.DockerAsync("info", "--format", "{{.Driver}}")).AssertSuccess().Stdout.Trim());
        Assert.Empty((await daemon.DockerAsync("images", "-q")).AssertSuccess().Lines);
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        var vfsRoot = (await daemon.DockerAsync("image", "inspect", "--format", "{{.GraphDriver.Name}}", "busybox")).AssertSuccess();
        Assert.Equal("vfs", vfsRoot.Stdout.Trim());
        Assert.True(Directory.EnumerateFiles(Path.Combine(daemon.DataRoot, "vfs"), "busybox", SearchOption.AllDirectories).Any());
        await daemon.StopAsync();

        await File.WriteAllTextAsync(daemon.ConfigFile, "{}");
        await daemon.StartProcessAsync();
        Assert.Equal("overlay2", (await daemon.DockerAsync("info", "--format", "{{.Driver}}")).AssertSuccess().Stdout.Trim());
        Assert.Single((await daemon.DockerAsync("images", "-q")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task The_socket_is_group_accessible_only()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var mode = File.GetUnixFileMode(daemon.Socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await probe.ConnectAsync(new UnixDomainSocketEndPoint(daemon.Socket));
    }
}
