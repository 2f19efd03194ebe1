using System.Text;
using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>docker exec through the real docker CLI (and the raw API), checked against what dockerd 20.10 answers.</summary>
public sealed class ExecTests
{
    private static async Task<BerthDaemon> StartWithSleeperAsync(string name = "ex", params string[] runOptions)
    {
        var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync(["run", "-d", "--name", name, .. runOptions, "busybox", "sleep", "1000"], stdin: null)).AssertSuccess();
        return daemon;
    }

    [Fact]
    public async Task Exec_runs_commands_with_streams_exit_codes_environment_user_and_directory()
    {
        await using var daemon = await StartWithSleeperAsync("ex", "-e", "FROMRUN=1");
        Assert.Equal("hi\n", (await daemon.DockerAsync("exec", "ex", "echo", "hi")).AssertSuccess().Stdout);

        var streams = await daemon.DockerAsync("exec", "ex", "sh", "-c", "echo out; echo err >&2; exit 7");
        Assert.Equal(7, streams.ExitCode);
        Assert.Equal("out\n", streams.Stdout);
        Assert.Equal("err\n", streams.Stderr);

        var env = (await daemon.DockerAsync("exec", "-e", "FOO=bar", "-e", "FROMRUN=override", "ex", "sh", "-c", "env | sort")).AssertSuccess();
        Assert.Contains("FOO=bar", env.Lines);
        Assert.Contains("FROMRUN=override", env.Lines);
        Assert.Contains("HOME=/root", env.Lines);
        Assert.DoesNotContain(env.Lines, l => l.StartsWith("TERM=", StringComparison.Ordinal));

        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", (await daemon.DockerAsync("exec", "-u", "nobody", "ex", "id")).AssertSuccess().Stdout);
        Assert.Equal("uid=1000 gid=1000 groups=1000\n", (await daemon.DockerAsync("exec", "-u", "1000:1000", "ex", "id")).AssertSuccess().Stdout);
        Assert.Equal("/tmp\n", (await daemon.DockerAsync("exec", "-w", "/tmp", "ex", "pwd")).AssertSuccess().Stdout);

        var piped = await daemon.DockerAsync(["exec", "-i", "ex", "sh", "-c", "cat; echo end"], new MemoryStream(Encoding.UTF8.GetBytes("piped\n")));
        Assert.Equal("piped\nend\n", piped.AssertSuccess().Stdout);
        Assert.Equal(137, (await daemon.DockerAsync("exec", "ex", "sh", "-c", "kill -9 $$")).ExitCode);
    }

    [Fact]
    public async Task Exec_failures_are_reported_as_dockerd_reports_them()
    {
        await using var daemon = await StartWithSleeperAsync();
        var missing = await daemon.DockerAsync("exec", "ex", "nosuchcmd");
        Assert.Equal(126, missing.ExitCode);
        Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH: unknown\r\n", missing.Stdout);

        var user = await daemon.DockerAsync("exec", "-u", "nosuchuser", "ex", "id");
        Assert.Equal(126, user.ExitCode);
        // As dockerd: the message is a stdout frame ending in CRLF.
        Assert.Equal("unable to find user nosuchuser: no matching entries in passwd file\r\n", user.Stdout);

        var directory = await daemon.DockerAsync("exec", "-w", "/nonexistent", "ex", "pwd");
        Assert.Equal(126, directory.ExitCode);
        Assert.Contains("chdir to cwd (\"/nonexistent\") set in config.json failed: no such file or directory: unknown", directory.Stdout);

        var id = (await daemon.DockerAsync("run", "-d", "--name", "stopped", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await daemon.DockerAsync("wait", "stopped")).AssertSuccess();
        var stopped = await daemon.DockerAsync("exec", "stopped", "echo", "hi");
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains($"Error response from daemon: Container {id} is not running", stopped.Stderr);

        using var unknown = await daemon.Client.RawAsync(HttpMethod.Get, "/exec/nosuch/json");
        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Contains("No such exec instance: nosuch", await unknown.Content.ReadAsStringAsync());

        using var noCmd = await daemon.Client.RawAsync(HttpMethod.Post, "/containers/ex/exec", Json("{}"));
        Assert.Equal(400, (int)noCmd.StatusCode);
        Assert.Contains("No exec command specified", await noCmd.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Detached_exec_keeps_running_and_inspect_tracks_it()
    {
        await using var daemon = await StartWithSleeperAsync();
        (await daemon.DockerAsync("exec", "-d", "ex", "sh", "-c", "echo done > /tmp/detached; sleep 1000")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("exec", "ex", "cat", "/tmp/detached")).Stdout == "done\n", "the detached exec to write its file");
        var execIds = (await daemon.DockerAsync("inspect", "-f", "{{json .ExecIDs}}", "ex")).AssertSuccess().Stdout.Trim();
        var ids = JsonSerializer.Deserialize<string[]>(execIds)!;
        Assert.Single(ids);

        using var running = await daemon.Client.RawAsync(HttpMethod.Get, $"/exec/{ids[0]}/json");
        var inspect = JsonDocument.Parse(await running.Content.ReadAsStringAsync()).RootElement;
        Assert.True(inspect.GetProperty("Running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, inspect.GetProperty("ExitCode").ValueKind);
        Assert.True(inspect.GetProperty("Pid").GetInt32() > 0);
        Assert.Equal("sh", inspect.GetProperty("ProcessConfig").GetProperty("entrypoint").GetString());

        // The exec ends with its container; its record stays for inspection.
        (await daemon.DockerAsync("kill", "ex")).AssertSuccess();
        await Poll.UntilAsync(async () =>
        {
            using var ended = await daemon.Client.RawAsync(HttpMethod.Get, $"/exec/{ids[0]}/json");
            return !JsonDocument.Parse(await ended.Content.ReadAsStringAsync()).RootElement.GetProperty("Running").GetBoolean();
        }, "the exec to end with its container");
    }

    [Fact]
    public async Task Raw_exec_api_answers_as_dockerd_does()
    {
        await using var daemon = await StartWithSleeperAsync();
        using var created = await daemon.Client.RawAsync(HttpMethod.Post, "/containers/ex/exec",
            Json("""{"AttachStdout":true,"AttachStderr":true,"Cmd":["sh","-c","echo out; echo err >&2; exit 3"]}"""));
        Assert.Equal(201, (int)created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", id);

        using (var before = await daemon.Client.RawAsync(HttpMethod.Get, $"/exec/{id}/json"))
        {
            var inspect = JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(JsonValueKind.Null, inspect.GetProperty("ExitCode").ValueKind);
            Assert.Equal(0, inspect.GetProperty("Pid").GetInt32());
            Assert.False(inspect.GetProperty("Running").GetBoolean());
        }

        // Without an upgrade the answer is a plain 200 carrying the multiplexed stream.
        using (var started = await daemon.Client.RawAsync(HttpMethod.Post, $"/exec/{id}/start", Json("""{"Detach":false,"Tty":false}""")))
        {
            Assert.Equal(200, (int)started.StatusCode);
            var frames = Frames(await started.Content.ReadAsByteArrayAsync());
            Assert.Contains((1, "out\n"), frames);
            Assert.Contains((2, "err\n"), frames);
        }
        using (var after = await daemon.Client.RawAsync(HttpMethod.Get, $"/exec/{id}/json"))
            Assert.Equal(3, JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("ExitCode").GetInt32());

        using var again = await daemon.Client.RawAsync(HttpMethod.Post, $"/exec/{id}/start", Json("""{"Detach":false,"Tty":false}"""));
        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal([(1, $"Error: Exec command {id} has already run\r\n")], Frames(await again.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Exec_it_is_an_interactive_shell_whose_window_resizes()
    {
        await using var daemon = await StartWithSleeperAsync();
        await using var terminal = await Terminal.DockerAsync(daemon, "exec -it ex sh", columns: 120, rows: 40);
        await terminal.WaitForTextAsync("/ #");
        await terminal.TypeLineAsync("stty size; echo TERM=$TERM");
        await terminal.WaitForTextAsync("40 120");
        await terminal.WaitForTextAsync("TERM=xterm");
        await terminal.ResizeAsync(100, 30);
        await terminal.TypeLineAsync("stty size");
        await terminal.WaitForTextAsync("30 100");
        await terminal.TypeLineAsync("exit 5");
        Assert.Equal(5, await terminal.WaitForExitAsync());
    }

    [Fact]
    public async Task Run_it_is_an_interactive_shell_that_detaches_and_reattaches()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        await using (var terminal = await Terminal.DockerAsync(daemon, "run --name it -it busybox sh", columns: 110, rows: 35))
        {
            await terminal.WaitForTextAsync("/ #");
            await terminal.TypeLineAsync("stty size");
            await terminal.WaitForTextAsync("35 110");
            await terminal.ResizeAsync(90, 20);
            await terminal.TypeLineAsync("stty size");
            await terminal.WaitForTextAsync("20 90");
            await terminal.SendKeysAsync("C-p", "C-q");
            Assert.Equal(0, await terminal.WaitForExitAsync());
        }
        Assert.Equal("running", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "it")).AssertSuccess().Stdout.Trim());

        await using (var terminal = await Terminal.DockerAsync(daemon, "attach it"))
        {
            await terminal.TypeLineAsync("echo attached-$((6*7))");
            await terminal.WaitForTextAsync("attached-42");
            await terminal.SendKeysAsync("C-p", "C-q");
            var code = await terminal.WaitForExitAsync();
            Assert.Equal(1, code);
            Assert.Contains("read escape sequence", await terminal.ScreenAsync());
        }
        await using (var terminal = await Terminal.DockerAsync(daemon, "attach it"))
        {
            await terminal.TypeLineAsync("exit 4");
            Assert.Equal(4, await terminal.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task Docker_py_runs_execs_on_pooled_connections()
    {
        await using var daemon = await StartWithSleeperAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "docker_py_exec.py");
        var result = await Processes.RunAsync("/usr/bin/python3", [script, "ex"], new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        result.AssertSuccess();
        Assert.Equal(["first 0 b'one\\n'", "second 3 b'two\\n'", "stream [b'three\\n']", "inspect 3 False"], result.Lines);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Splits Docker's multiplexed stream into (stream, text) frames.</summary>
    private static List<(int Stream, string Text)> Frames(byte[] data)
    {
        var frames = new List<(int, string)>();
        for (var at = 0; at + 8 <= data.Length;)
        {
            var length = (data[at + 4] << 24) | (data[at + 5] << 16) | (data[at + 6] << 8) | data[at + 7];
            frames.Add((data[at], Encoding.UTF8.GetString(data, at + 8, length)));
            at += 8 + length;
        }
        return frames;
    }
}
