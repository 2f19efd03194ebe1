using System.Globalization;
using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Health checks: probes run in the container, their state in inspect, ps and the health filter, as dockerd shows them.</summary>
public sealed class HealthCheckTests
{
    private static async Task<JsonElement> HealthAsync(BerthDaemon daemon, string name) =>
        JsonDocument.Parse((await daemon.DockerAsync("inspect", "-f", "{{json .State.Health}}", name)).AssertSuccess().Stdout).RootElement;

    private static async Task<JsonElement> WaitForHealthAsync(BerthDaemon daemon, string name, Func<JsonElement, bool> condition, string what)
    {
        JsonElement health = default;
        await Poll.UntilAsync(async () => condition(health = await HealthAsync(daemon, name)), $"{name} to be {what}", TimeSpan.FromSeconds(30));
        return health;
    }

    [Fact]
    public async Task Probes_make_containers_healthy_or_unhealthy_and_ps_shows_it()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "good", "--health-cmd", "echo ok; exit 0", "--health-interval", "200ms", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "bad", "--health-cmd", "echo bad >&2; exit 1", "--health-interval", "200ms", "--health-retries", "2", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "slow", "--health-cmd", "sleep 5", "--health-interval", "200ms", "--health-timeout", "300ms", "--health-retries", "1", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "plain", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "fresh", "--health-cmd", "true", "--health-interval", "1h", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Matches(@"^Up .* \(health: starting\)$", (await daemon.DockerAsync("ps", "--filter", "name=fresh", "--format", "{{.Status}}")).Stdout.Trim());
        Assert.Equal("starting", (await HealthAsync(daemon, "fresh")).GetProperty("Status").GetString());

        var good = await WaitForHealthAsync(daemon, "good", h => h.GetProperty("Status").GetString() == "healthy", "healthy");
        Assert.Equal(0, good.GetProperty("FailingStreak").GetInt32());
        var entry = good.GetProperty("Log")[0];
        Assert.Equal(0, entry.GetProperty("ExitCode").GetInt32());
        Assert.Equal("ok\n", entry.GetProperty("Output").GetString());

        var bad = await WaitForHealthAsync(daemon, "bad", h => h.GetProperty("Status").GetString() == "unhealthy", "unhealthy");
        Assert.True(bad.GetProperty("FailingStreak").GetInt32() >= 2);
        Assert.Equal("bad\n", bad.GetProperty("Log")[0].GetProperty("Output").GetString());

        var slow = await WaitForHealthAsync(daemon, "slow", h => h.GetProperty("Status").GetString() == "unhealthy", "unhealthy");
        Assert.Equal(-1, slow.GetProperty("Log")[0].GetProperty("ExitCode").GetInt32());
        Assert.Equal("Health check exceeded timeout (300ms)", slow.GetProperty("Log")[0].GetProperty("Output").GetString());

        // The log keeps the last five probes.
        var fifth = await WaitForHealthAsync(daemon, "good", h => h.GetProperty("Log").GetArrayLength() == 5, "probed five times");
        var newest = fifth.GetProperty("Log")[4].GetProperty("Start").GetString();
        var later = await WaitForHealthAsync(daemon, "good", h => h.GetProperty("Log")[4].GetProperty("Start").GetString() != newest, "probed again");
        // Probes may run between two polls, so the oldest entries have gone and the rest are in order, not necessarily shifted by one.
        var starts = later.GetProperty("Log").EnumerateArray().Select(e => DateTimeOffset.Parse(e.GetProperty("Start").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, starts.Count);
        Assert.Equal(starts.Order(), starts);
        Assert.True(starts[4] > DateTimeOffset.Parse(newest!, CultureInfo.InvariantCulture));

        Assert.Matches(@"^Up .* \(healthy\)$", (await daemon.DockerAsync("ps", "--filter", "name=good", "--format", "{{.Status}}")).Stdout.Trim());
        Assert.Equal(["bad", "slow"], (await daemon.DockerAsync("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).AssertSuccess().Lines.Order());
        Assert.Equal(["good"], (await daemon.DockerAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}")).AssertSuccess().Lines);
        Assert.Equal(["plain"], (await daemon.DockerAsync("ps", "--filter", "health=none", "--format", "{{.Names}}")).AssertSuccess().Lines);
        Assert.Equal("null", (await daemon.DockerAsync("inspect", "-f", "{{json .State.Health}}", "plain")).Stdout.Trim());

        // A stopped container keeps its log and is unhealthy, with no streak, as dockerd leaves it.
        (await daemon.DockerAsync("stop", "-t", "0", "good")).AssertSuccess();
        var stopped = await HealthAsync(daemon, "good");
        Assert.Equal("unhealthy", stopped.GetProperty("Status").GetString());
        Assert.Equal(0, stopped.GetProperty("FailingStreak").GetInt32());
        Assert.Equal(5, stopped.GetProperty("Log").GetArrayLength());
    }

    [Fact]
    public async Task Failures_in_the_start_period_do_not_count_and_health_checks_go_on_after_a_restart_of_berthd()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "warming", "--health-cmd", "test -e /tmp/ready", "--health-interval", "200ms",
            "--health-start-period", "60s", "--health-start-interval", "200ms", "--health-retries", "1", "busybox", "sleep", "1000")).AssertSuccess();
        var warming = await WaitForHealthAsync(daemon, "warming", h => h.GetProperty("Log").GetArrayLength() >= 2, "probed twice");
        Assert.Equal("starting", warming.GetProperty("Status").GetString());
        Assert.Equal(0, warming.GetProperty("FailingStreak").GetInt32());

        await daemon.KillAsync();
        await daemon.StartProcessAsync();
        (await daemon.DockerAsync("exec", "warming", "touch", "/tmp/ready")).AssertSuccess();
        await WaitForHealthAsync(daemon, "warming", h => h.GetProperty("Status").GetString() == "healthy", "healthy after the restart");
    }
}
