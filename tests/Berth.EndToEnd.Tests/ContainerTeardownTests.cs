using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>What a container leaves behind once it is gone (nothing), and how signals reach it.</summary>
public sealed class ContainerTeardownTests
{
    /// <summary>Cgroup directories of containers under the daemon's cgroup parent, in every mounted hierarchy.</summary>
    private static List<string> ContainerCgroups(BerthDaemon daemon) =>
        Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup")
            .Select(root => Path.Combine(root, daemon.CgroupParent.Trim('/')))
            .Where(Directory.Exists)
            .SelectMany(parent => Directory.EnumerateDirectories(parent))
            .ToList();

    private static List<string> MountsUnder(string root) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(root + "/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Ended_and_removed_containers_leave_no_cgroups_runc_state_mounts_or_bundles()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "--rm", "busybox", "true")).AssertSuccess();
        Assert.Equal(2, (await daemon.DockerAsync("run", "--name", "ended", "busybox", "sh", "-c", "exit 2")).ExitCode);
        var id = (await daemon.DockerAsync("run", "-d", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim();
        Assert.Contains(ContainerCgroups(daemon), c => c.EndsWith(id, StringComparison.Ordinal));
        (await daemon.DockerAsync("rm", "-f", id)).AssertSuccess();

        Assert.Equal("exited", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "ended")).AssertSuccess().Stdout.Trim());
        Assert.Empty(ContainerCgroups(daemon));
        var runcState = Path.Combine(daemon.ExecRoot, "runc");
        Assert.Empty(Directory.Exists(runcState) ? Directory.EnumerateFileSystemEntries(runcState) : []);
        Assert.Empty(MountsUnder(daemon.ExecRoot));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(daemon.ExecRoot, "containers")));
    }

    [Fact]
    public async Task Signals_reach_the_container_init_and_stop_honours_its_trap()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "trap", "busybox", "sh", "-c",
            "trap 'echo got-usr1' USR1; trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "trap")).Stdout.Contains("ready"), "the trap to be set");
        (await daemon.DockerAsync("kill", "-s", "USR1", "trap")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "trap")).Stdout.Contains("got-usr1"), "SIGUSR1 to arrive");
        (await daemon.DockerAsync("stop", "trap")).AssertSuccess();
        Assert.Equal("3", (await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", "trap")).AssertSuccess().Stdout.Trim());
        Assert.Contains("got-term", (await daemon.DockerAsync("logs", "trap")).Stdout);

        // A container restored after a berthd restart is signalled the same way.
        (await daemon.DockerAsync("start", "trap")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "trap")).Stdout.Split("ready").Length == 3, "the restarted trap to be set");
        await daemon.KillAsync();
        await daemon.StartProcessAsync();
        (await daemon.DockerAsync("kill", "-s", "USR1", "trap")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("logs", "trap")).Stdout.Split("got-usr1").Length == 3, "SIGUSR1 after the restart");
        (await daemon.DockerAsync("rm", "-f", "trap")).AssertSuccess();
    }

    [Fact]
    public async Task A_writable_layer_whose_record_is_gone_is_removed_at_start()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var snapshots = Path.Combine(daemon.DataRoot, "overlay2");
        var imageOnly = Directory.EnumerateDirectories(snapshots).Count();
        var id = (await daemon.DockerAsync("create", "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.True(Directory.EnumerateDirectories(snapshots).Count() > imageOnly);
        Assert.Equal(0, await daemon.StopAsync());
        // What a power cut right after the (unflushed) first record of a create can leave.
        File.Delete(Path.Combine(daemon.DataRoot, "containers", id, "config.v2.json"));
        await daemon.StartProcessAsync();
        Assert.Empty((await daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines);
        Assert.Equal(imageOnly, Directory.EnumerateDirectories(snapshots).Count());
    }
}
