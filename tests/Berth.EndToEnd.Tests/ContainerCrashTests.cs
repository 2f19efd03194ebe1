using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>A kill -9 of berthd in the middle of creates, starts and removals leaves a state the next start loads whole.</summary>
public sealed class ContainerCrashTests
{
    [Fact]
    public async Task Kills_during_create_start_and_rm_leave_only_whole_containers()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var snapshots = Path.Combine(daemon.DataRoot, "overlay2");
        var baseline = Directory.GetDirectories(snapshots).Length;

        for (var round = 0; round < 4; round++)
        {
            // A mix of operations in flight, then a kill at a different moment each round.
            var work = new List<Task>();
            for (var i = 0; i < 4; i++)
            {
                work.Add(daemon.DockerAsync("run", "-d", "busybox", "sleep", "1000"));
                work.Add(daemon.DockerAsync("create", "busybox", "true"));
            }
            var existing = (await daemon.DockerAsync("ps", "-aq")).Lines;
            foreach (var id in existing.Take(3)) work.Add(daemon.DockerAsync("rm", "-f", id));
            await Task.Delay(60 + 90 * round);
            await daemon.KillAsync();
            await Task.WhenAll(work);
            await daemon.StartProcessAsync();

            // Every container listed is whole: it inspects, and it can be started (or is running) and stopped.
            foreach (var id in (await daemon.DockerAsync("ps", "-aq", "--no-trunc")).AssertSuccess().Lines)
            {
                var status = (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", id)).AssertSuccess().Stdout.Trim();
                Assert.Contains(status, new[] { "created", "running", "exited" });
                if (status != "running") (await daemon.DockerAsync("start", id)).AssertSuccess();
            }
        }

        (await daemon.DockerAsync(["rm", "-f", .. (await daemon.DockerAsync("ps", "-aq")).Lines], stdin: null)).AssertSuccess();
        Assert.Empty((await daemon.DockerAsync("ps", "-aq")).Lines);
        Assert.Equal(baseline, Directory.GetDirectories(snapshots).Length);
        Assert.Empty(Directory.GetDirectories(Path.Combine(daemon.DataRoot, "containers")));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(daemon.ExecRoot + "/", StringComparison.Ordinal));
    }
}
