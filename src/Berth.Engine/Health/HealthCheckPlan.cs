using Berth.Api.Wire;

namespace Berth.Engine.Health;

/// <summary>
/// A container's health check as dockerd runs it: the probe command and its timing, from the
/// container's <c>Healthcheck</c> (image and create options merged) with dockerd's defaults
/// (interval and timeout 30 s, 3 retries, start interval 5 s).
/// </summary>
public sealed record HealthCheckPlan(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, TimeSpan StartInterval, int Retries)
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30), DefaultTimeout = TimeSpan.FromSeconds(30), DefaultStartInterval = TimeSpan.FromSeconds(5);
    private const int DefaultRetries = 3;

    /// <summary>The plan, or null when the container has no health check (none configured, or <c>NONE</c>).</summary>
    public static HealthCheckPlan? For(HealthConfig? config, IReadOnlyList<string>? shell)
    {
        if (config?.Test is not { Count: > 0 } test) return null;
        IReadOnlyList<string> command;
        switch (test[0])
        {
            case "NONE": return null;
            case "CMD" when test.Count > 1: command = test.Skip(1).ToList(); break;
            case "CMD-SHELL" when test.Count > 1:
                command = [.. shell is { Count: > 0 } ? shell : ["/bin/sh", "-c"], string.Join(' ', test.Skip(1))];
                break;
            default: return null;
        }
        return new HealthCheckPlan(command,
            Nanoseconds(config.Interval, DefaultInterval),
            Nanoseconds(config.Timeout, DefaultTimeout),
            Nanoseconds(config.StartPeriod, TimeSpan.Zero),
            Nanoseconds(config.StartInterval, DefaultStartInterval),
            config.Retries > 0 ? config.Retries : DefaultRetries);
    }

    /// <summary>
    /// The wait before the next probe, as dockerd 25 and later (API 1.44) time it: the start
    /// interval while in the start period and still starting, else the interval.
    /// </summary>
    public TimeSpan DelayBeforeProbe(TimeSpan sinceStart, string status) =>
        sinceStart < StartPeriod && status == HealthRecorder.Starting ? StartInterval : Interval;

    private static TimeSpan Nanoseconds(long value, TimeSpan fallback) => value > 0 ? TimeSpan.FromTicks(value / 100) : fallback;
}
