using Berth.Api.Wire;
using Berth.Api.Wire.Containers;
using Berth.Engine.Health;

namespace Berth.Engine.Tests;

public sealed class HealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static ProbeResult Probe(int exitCode, string output = "") => new(T0, T0.AddMilliseconds(50), exitCode, output);

    [Fact]
    public void Plans_follow_the_test_form_and_dockerds_defaults()
    {
        Assert.Null(HealthCheckPlan.For(null, null));
        Assert.Null(HealthCheckPlan.For(new HealthConfig { Test = ["NONE"] }, null));
        var shell = HealthCheckPlan.For(new HealthConfig { Test = ["CMD-SHELL", "curl -f x || exit 1"] }, null)!;
        Assert.Equal(["/bin/sh", "-c", "curl -f x || exit 1"], shell.Command);
        Assert.Equal(TimeSpan.FromSeconds(30), shell.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), shell.Timeout);
        Assert.Equal(3, shell.Retries);
        var exec = HealthCheckPlan.For(new HealthConfig { Test = ["CMD", "true", "x"], Interval = 1_000_000_000, Retries = 1 }, ["/bin/bash", "-c"])!;
        Assert.Equal(["true", "x"], exec.Command);
        Assert.Equal(TimeSpan.FromSeconds(1), exec.Interval);
        Assert.Equal(["/bin/bash", "-c", "exit 0"], HealthCheckPlan.For(new HealthConfig { Test = ["CMD-SHELL", "exit 0"] }, ["/bin/bash", "-c"])!.Command);
    }

    [Fact]
    public void The_start_interval_applies_only_while_starting_in_the_start_period()
    {
        var plan = HealthCheckPlan.For(new HealthConfig { Test = ["CMD", "true"], Interval = 10_000_000_000, StartPeriod = 60_000_000_000 }, null)!;
        Assert.Equal(TimeSpan.FromSeconds(5), plan.DelayBeforeProbe(TimeSpan.FromSeconds(1), HealthRecorder.Starting));
        Assert.Equal(TimeSpan.FromSeconds(10), plan.DelayBeforeProbe(TimeSpan.FromSeconds(1), HealthRecorder.Healthy));
        Assert.Equal(TimeSpan.FromSeconds(10), plan.DelayBeforeProbe(TimeSpan.FromSeconds(61), HealthRecorder.Starting));
    }

    [Fact]
    public void Failures_count_toward_unhealthy_and_a_success_resets_the_streak()
    {
        var state = HealthRecorder.Started(null);
        HealthRecorder.Record(state, Probe(1), inStartPeriod: false, retries: 2);
        Assert.Equal((HealthRecorder.Starting, 1), (state.Status, state.FailingStreak));
        HealthRecorder.Record(state, Probe(1), inStartPeriod: false, retries: 2);
        Assert.Equal((HealthRecorder.Unhealthy, 2), (state.Status, state.FailingStreak));
        HealthRecorder.Record(state, Probe(0, "ok\n"), inStartPeriod: false, retries: 2);
        Assert.Equal((HealthRecorder.Healthy, 0), (state.Status, state.FailingStreak));
        Assert.Equal("ok\n", state.Log[^1].Output);
        Assert.Equal("2026-12-03T09:00:00.05Z", state.Log[^1].End);
    }

    [Fact]
    public void Start_period_failures_do_not_count_and_the_log_keeps_five()
    {
        var state = HealthRecorder.Started(null);
        for (var i = 0; i < 7; i++) HealthRecorder.Record(state, Probe(1, $"{i}"), inStartPeriod: true, retries: 1);
        Assert.Equal((HealthRecorder.Starting, 0), (state.Status, state.FailingStreak));
        Assert.Equal(["2", "3", "4", "5", "6"], state.Log.Select(l => l.Output));

        HealthRecorder.Stopped(state);
        Assert.Equal((HealthRecorder.Unhealthy, 0), (state.Status, state.FailingStreak));
        var restarted = HealthRecorder.Started(state);
        Assert.Equal(HealthRecorder.Starting, restarted.Status);
        Assert.Equal(5, restarted.Log.Count);
    }

    [Theory]
    [InlineData(1000, "1s")]
    [InlineData(300, "300ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(30_000, "30s")]
    public void Durations_read_as_Gos(int milliseconds, string expected) =>
        Assert.Equal(expected, HealthRecorder.GoDuration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void The_output_buffer_keeps_only_its_capacity()
    {
        var buffer = new BoundedBuffer(4);
        buffer.Write("abc"u8);
        buffer.Write("defg"u8);
        Assert.Equal("abcd"u8.ToArray(), buffer.ToArray());
    }
}
