using System.Globalization;
using System.Text.Json;
using Berth.Api.Json;
using Berth.Api.Wire.Containers;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>pause/unpause, top, update, stats, container prune and port through the real docker CLI.</summary>
public sealed class ContainerOperationsTests
{
    private static readonly bool Unified = File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private static async Task<string> RunDetachedAsync(BerthDaemon daemon, params string[] args) =>
        (await daemon.DockerAsync(["run", "-d", .. args], stdin: null)).AssertSuccess().Stdout.Trim();

    private static async Task<string> InspectAsync(BerthDaemon daemon, string format, string name) =>
        (await daemon.DockerAsync("inspect", "-f", format, name)).AssertSuccess().Stdout.Trim();

    /// <summary>A file of the container's cgroup: the v1 controller's hierarchy, or the one v2 directory.</summary>
    private static string CgroupFile(BerthDaemon daemon, string id, string v1Controller, string v1File, string v2File) =>
        Unified ? $"/sys/fs/cgroup{daemon.CgroupParent}/{id}/{v2File}" : $"/sys/fs/cgroup/{v1Controller}{daemon.CgroupParent}/{id}/{v1File}";

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: last seen {value}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Pause_freezes_the_container_gives_dockerds_errors_and_survives_a_restart_of_berthd()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var id = await RunDetachedAsync(daemon, "--name", "pz", "busybox", "sleep", "1000");
        Assert.Equal("pz\n", (await daemon.DockerAsync("pause", "pz")).AssertSuccess().Stdout);
        var again = await daemon.DockerAsync("pause", "pz");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"Error response from daemon: Container {id} is already paused\n", again.Stderr);

        Assert.Equal("paused true true", await InspectAsync(daemon, "{{.State.Status}} {{.State.Running}} {{.State.Paused}}", "pz"));
        Assert.Matches(@"^Up .* \(Paused\)$", (await daemon.DockerAsync("ps", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());
        var freezer = Unified ? CgroupFile(daemon, id, "", "", "cgroup.freeze") : CgroupFile(daemon, id, "freezer", "freezer.state", "");
        Assert.Equal(Unified ? "1" : "FROZEN", File.ReadAllText(freezer).Trim());
        var rm = await daemon.DockerAsync("rm", "pz");
        Assert.Equal(1, rm.ExitCode);
        Assert.Contains($"You cannot remove a paused container {id}. Unpause and then stop the container before attempting removal or force remove", rm.Stderr);
        Assert.Contains("sleep 1000", (await daemon.DockerAsync("top", "pz")).AssertSuccess().Stdout);

        await daemon.StopAsync();
        await daemon.StartProcessAsync();
        Assert.Equal("paused true", await InspectAsync(daemon, "{{.State.Status}} {{.State.Paused}}", "pz"));

        Assert.Equal("pz\n", (await daemon.DockerAsync("unpause", "pz")).AssertSuccess().Stdout);
        Assert.Equal(Unified ? "0" : "THAWED", File.ReadAllText(freezer).Trim());
        Assert.Equal("running false", await InspectAsync(daemon, "{{.State.Status}} {{.State.Paused}}", "pz"));
        var notPaused = await daemon.DockerAsync("unpause", "pz");
        Assert.Equal(1, notPaused.ExitCode);
        Assert.Equal($"Error response from daemon: Container {id} is not paused\n", notPaused.Stderr);

        // stop, kill and rm -f all thaw a paused container to end it.
        (await daemon.DockerAsync("pause", "pz")).AssertSuccess();
        (await daemon.DockerAsync("stop", "-t", "1", "pz")).AssertSuccess();
        Assert.Equal("exited 137 false", await InspectAsync(daemon, "{{.State.Status}} {{.State.ExitCode}} {{.State.Paused}}", "pz"));
        var stopped = await daemon.DockerAsync("pause", "pz");
        Assert.Equal($"Error response from daemon: Container {id} is not running\n", stopped.Stderr);

        await RunDetachedAsync(daemon, "--name", "pz2", "busybox", "sleep", "1000");
        (await daemon.DockerAsync("pause", "pz2")).AssertSuccess();
        (await daemon.DockerAsync("kill", "pz2")).AssertSuccess();
        await PollAsync(() => InspectAsync(daemon, "{{.State.Status}} {{.State.ExitCode}}", "pz2"), s => s == "exited 137", "pz2 after kill");
        await RunDetachedAsync(daemon, "--name", "pz3", "busybox", "sleep", "1000");
        (await daemon.DockerAsync("pause", "pz3")).AssertSuccess();
        Assert.Equal("pz3\n", (await daemon.DockerAsync("rm", "-f", "pz3")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Top_lists_the_containers_processes_with_the_ps_arguments_given()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        await RunDetachedAsync(daemon, "--name", "tp", "busybox", "sh", "-c", "sleep 1000 & exec sleep 2000");
        var pid = await InspectAsync(daemon, "{{.State.Pid}}", "tp");
        var top = await PollAsync(async () => (await daemon.DockerAsync("top", "tp")).AssertSuccess(), r => r.Lines.Length == 3, "two processes in top");
        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], top.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = top.Lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(rows, r => r[1] == pid && r[0] == "root" && string.Join(' ', r[7..]) == "sleep 2000");
        Assert.Contains(rows, r => r[2] == pid && string.Join(' ', r[7..]) == "sleep 1000");

        var custom = (await daemon.DockerAsync("top", "tp", "-o", "pid,comm")).AssertSuccess();
        Assert.Equal(["PID", "COMMAND"], custom.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, custom.Lines.Skip(1).Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "sleep"]));
        Assert.Contains(custom.Lines, l => l.StartsWith(pid + " ", StringComparison.Ordinal));

        var bogus = await daemon.DockerAsync("top", "tp", "-o", "bogus");
        Assert.Equal(1, bogus.ExitCode);
        Assert.Equal("Error response from daemon: ps: error: unknown user-defined format specifier \"bogus\"\n", bogus.Stderr);

        var raw = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/tp/top");
        var body = JsonSerializer.Deserialize(await raw.Content.ReadAsStringAsync(), WireJson.Default.ContainerTopResponse)!;
        Assert.Equal(2, body.Processes!.Count);

        (await daemon.DockerAsync("run", "--name", "done", "busybox", "true")).AssertSuccess();
        var id = await InspectAsync(daemon, "{{.Id}}", "done");
        Assert.Equal($"Error response from daemon: Container {id} is not running\n", (await daemon.DockerAsync("top", "done")).Stderr);
    }

    [Fact]
    public async Task Update_changes_the_limits_of_a_running_container_and_the_next_start_keeps_them()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var id = await RunDetachedAsync(daemon, "--name", "up1", "busybox", "sleep", "1000");
        var alone = await daemon.DockerAsync("update", "--memory", "20m", "up1");
        Assert.Equal(1, alone.ExitCode);
        Assert.Equal($"Error response from daemon: Cannot update container {id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n", alone.Stderr);

        var update = await daemon.DockerAsync("update", "--memory", "20m", "--memory-swap", "40m", "--cpus", "0.5", "--pids-limit", "50", "--restart", "on-failure:2", "up1");
        Assert.Equal("up1\n", update.AssertSuccess().Stdout);
        Assert.Equal("20971520 41943040 500000000 50 {\"MaximumRetryCount\":2,\"Name\":\"on-failure\"}",
            await InspectAsync(daemon, "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{json .HostConfig.RestartPolicy}}", "up1"));
        Assert.Equal("20971520", File.ReadAllText(CgroupFile(daemon, id, "memory", "memory.limit_in_bytes", "memory.max")).Trim());
        Assert.Equal(Unified ? "50000 100000" : "50000", File.ReadAllText(CgroupFile(daemon, id, "cpu", "cpu.cfs_quota_us", "cpu.max")).Trim());
        Assert.Equal("50", File.ReadAllText(CgroupFile(daemon, id, "pids", "pids.max", "pids.max")).Trim());
        var cpus = Environment.ProcessorCount;
        Assert.Equal($"Error response from daemon: Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available\n",
            (await daemon.DockerAsync("update", "--cpus", "50", "up1")).Stderr);

        // A stopped container gets the new limits when it starts again.
        (await daemon.DockerAsync("stop", "-t", "0", "up1")).AssertSuccess();
        (await daemon.DockerAsync("update", "--memory", "30m", "--memory-swap", "60m", "up1")).AssertSuccess();
        (await daemon.DockerAsync("start", "up1")).AssertSuccess();
        Assert.Equal("31457280", File.ReadAllText(CgroupFile(daemon, id, "memory", "memory.limit_in_bytes", "memory.max")).Trim());
        Assert.Equal("50000", File.ReadAllText(CgroupFile(daemon, id, "cpu", "cpu.cfs_quota_us", "cpu.max")).Trim().Split(' ')[0]);

        (await daemon.DockerAsync("update", "--pids-limit", "-1", "up1")).AssertSuccess();
        Assert.Equal("max", File.ReadAllText(CgroupFile(daemon, id, "pids", "pids.max", "pids.max")).Trim());
        Assert.Equal("0", await InspectAsync(daemon, "{{.HostConfig.PidsLimit}}", "up1"));

        var rmId = await RunDetachedAsync(daemon, "--rm", "--name", "up2", "busybox", "sleep", "1000");
        var restart = await daemon.DockerAsync("update", "--restart", "always", "up2");
        Assert.Equal($"Error response from daemon: Cannot update container {rmId}: Restart policy cannot be updated because AutoRemove is enabled for the container\n", restart.Stderr);
        Assert.Equal("you must provide one or more flags when using this command\n", (await daemon.DockerAsync("update", "up2")).Stderr);
        Assert.Equal("Error response from daemon: Minimum memory limit allowed is 6MB\n", (await daemon.DockerAsync("update", "--memory", "4m", "up2")).Stderr);
    }

    [Fact]
    public async Task Stats_shows_the_clis_columns_from_the_cgroup_and_streams_a_reading_a_second()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        await RunDetachedAsync(daemon, "--name", "st1", "-m", "64m", "busybox", "sleep", "1000");
        await RunDetachedAsync(daemon, "--name", "st2", "busybox", "sleep", "1000");
        (await daemon.DockerAsync("run", "--name", "st3", "busybox", "true")).AssertSuccess();

        var table = (await daemon.DockerAsync("stats", "--no-stream", "st1")).AssertSuccess();
        // Columns are as wide as their values (NET I/O counts the container's eth0 traffic).
        Assert.Equal(["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"],
            System.Text.RegularExpressions.Regex.Split(table.Lines[0].Trim(), " {2,}"));
        var row = (await daemon.DockerAsync("stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}", "st1"))
            .AssertSuccess().Stdout.Trim().Split('|');
        Assert.Equal("st1", row[0]);
        Assert.Matches(@"^\d+\.\d\d%$", row[1]);
        Assert.Matches(@"^\d+(\.\d+)?(KiB|MiB) / 64MiB$", row[2]);
        Assert.DoesNotMatch("^0B ", row[2]);
        Assert.Matches(@"^\d+\.\d\d%$", row[3]);
        Assert.NotEqual("0.00%", row[3]);
        Assert.Matches(@"^\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B$", row[4]);
        Assert.Matches(@"^\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B$", row[5]);
        Assert.Equal("1", row[6]);

        var hostMemory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gib = (long.Parse(hostMemory, CultureInfo.InvariantCulture) / 1048576.0).ToString("G4", CultureInfo.InvariantCulture);
        Assert.EndsWith($" / {gib}GiB", (await daemon.DockerAsync("stats", "--no-stream", "--format", "{{.MemUsage}}", "st2")).AssertSuccess().Stdout.Trim());
        Assert.Equal("0.00%|0B / 0B|0.00%|0B / 0B|0B / 0B|0",
            (await daemon.DockerAsync("stats", "--no-stream", "--format", "{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}", "st3")).AssertSuccess().Stdout.Trim());

        // stream=false: two readings a second apart; one-shot: a single one.
        using (var single = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/st1/stats?stream=false"))
        {
            var stats = JsonSerializer.Deserialize(await single.Content.ReadAsStringAsync(), WireJson.Default.ContainerStats)!;
            var gap = DateTimeOffset.Parse(stats.Read, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(stats.PreRead, CultureInfo.InvariantCulture);
            Assert.InRange(gap.TotalSeconds, 0.9, 2);
            Assert.Equal(64UL * 1024 * 1024, stats.MemoryStats.Limit);
            Assert.True(stats.PreCpuStats.SystemUsage > 0);
        }
        using (var oneShot = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/st1/stats?stream=false&one-shot=true"))
        {
            var stats = JsonSerializer.Deserialize(await oneShot.Content.ReadAsStringAsync(), WireJson.Default.ContainerStats)!;
            Assert.Equal("0001-01-01T00:00:00Z", stats.PreRead);
            Assert.Equal(0UL, stats.PreCpuStats.SystemUsage);
        }

        using var stream = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/st1/stats");
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        var first = JsonSerializer.Deserialize(await reader.ReadLineAsync() ?? "", WireJson.Default.ContainerStats)!;
        var second = JsonSerializer.Deserialize(await reader.ReadLineAsync() ?? "", WireJson.Default.ContainerStats)!;
        Assert.Equal("0001-01-01T00:00:00Z", first.PreRead);
        Assert.Equal(first.Read, second.PreRead);
        Assert.Equal("/st1", second.Name);

        // A stopped container streams empty readings, as dockerd's collector publishes them.
        using var stopped = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/st3/stats");
        using var stoppedReader = new StreamReader(await stopped.Content.ReadAsStreamAsync());
        var empty = JsonSerializer.Deserialize(await stoppedReader.ReadLineAsync() ?? "", WireJson.Default.ContainerStats)!;
        Assert.Equal(("0001-01-01T00:00:00Z", "/st3", 0UL), (empty.Read, empty.Name, empty.MemoryStats.Usage));
    }

    [Fact]
    public async Task Container_prune_removes_stopped_containers_matching_the_filters()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "--name", "pr1", "-l", "keep=1", "busybox", "true")).AssertSuccess();
        (await daemon.DockerAsync("run", "--name", "pr2", "busybox", "true")).AssertSuccess();
        await RunDetachedAsync(daemon, "--name", "live", "busybox", "sleep", "1000");
        var pr1 = await InspectAsync(daemon, "{{.Id}}", "pr1");
        var pr2 = await InspectAsync(daemon, "{{.Id}}", "pr2");

        var bogus = await daemon.DockerAsync("container", "prune", "-f", "--filter", "bogus=1");
        Assert.Equal(1, bogus.ExitCode);
        Assert.Equal("Error response from daemon: Invalid filter 'bogus'\n", bogus.Stderr);

        var unlabelled = (await daemon.DockerAsync("container", "prune", "-f", "--filter", "label!=keep")).AssertSuccess();
        Assert.Matches($"^Deleted Containers:\n{pr2}\n\nTotal reclaimed space: \\d+(\\.\\d+)?[kMG]?B\n$", unlabelled.Stdout);
        Assert.Equal("Total reclaimed space: 0B\n", (await daemon.DockerAsync("container", "prune", "-f", "--filter", "until=1h")).AssertSuccess().Stdout);
        var labelled = (await daemon.DockerAsync("container", "prune", "-f", "--filter", "label=keep=1")).AssertSuccess();
        Assert.StartsWith($"Deleted Containers:\n{pr1}\n\n", labelled.Stdout);
        Assert.Equal("Total reclaimed space: 0B\n", (await daemon.DockerAsync("container", "prune", "-f")).AssertSuccess().Stdout);
        Assert.Equal(["live"], (await daemon.DockerAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().Lines);

        using var raw = await daemon.Client.RawAsync(HttpMethod.Post, "/v1.41/containers/prune");
        Assert.Equal("{\"ContainersDeleted\":null,\"SpaceReclaimed\":0}\n", await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Port_bindings_are_kept_and_published_on_the_default_bridge()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        await RunDetachedAsync(daemon, "--name", "prt", "-p", "18080:80", "-p", "127.0.0.1:18081:81/udp", "--expose", "90", "busybox", "sleep", "1000");
        var all = await daemon.DockerAsync("port", "prt");
        Assert.Equal((0, "80/tcp -> 0.0.0.0:18080\n81/udp -> 127.0.0.1:18081\n"), (all.ExitCode, all.Stdout));
        var one = await daemon.DockerAsync("port", "prt", "90");
        Assert.Equal(1, one.ExitCode);
        Assert.Equal("Error: No public port '90' published for prt\n", one.Stderr);
        Assert.Equal("{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"18080\"}],\"81/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18081\"}],\"90/tcp\":null} {\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"18080\"}],\"81/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18081\"}]} {\"80/tcp\":{},\"81/udp\":{},\"90/tcp\":{}}",
            await InspectAsync(daemon, "{{json .NetworkSettings.Ports}} {{json .HostConfig.PortBindings}} {{json .Config.ExposedPorts}}", "prt"));
    }
}
