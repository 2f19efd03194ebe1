using Berth.Api;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Health;

/// <summary>One probe's outcome.</summary>
public sealed record ProbeResult(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);

/// <summary>
/// dockerd's health state machine: a probe that exits 0 makes the container healthy and resets
/// the failing streak; a failure during the start period leaves it as it was; any other failure
/// adds to the streak, and at <c>retries</c> failures in a row it is unhealthy. The log keeps the
/// last five probes.
/// </summary>
public static class HealthRecorder
{
    public const string Starting = "starting", Healthy = "healthy", Unhealthy = "unhealthy";
    public const int MaxLogEntries = 5;

    /// <summary>The probe output dockerd keeps, at most.</summary>
    public const int MaxOutputBytes = 4096;

    public static void Record(HealthState state, ProbeResult result, bool inStartPeriod, int retries)
    {
        state.Log.Add(new HealthLogEntry
        {
            Start = GoTime.Format(result.Start),
            End = GoTime.Format(result.End),
            ExitCode = result.ExitCode,
            Output = result.Output,
        });
        if (state.Log.Count > MaxLogEntries) state.Log.RemoveRange(0, state.Log.Count - MaxLogEntries);
        if (result.ExitCode == 0)
        {
            state.Status = Healthy;
            state.FailingStreak = 0;
            return;
        }
        if (inStartPeriod && state.Status != Healthy) return;
        state.FailingStreak++;
        if (state.FailingStreak >= retries) state.Status = Unhealthy;
    }

    /// <summary>What a start does to the state: starting again, with the old log kept.</summary>
    public static HealthState Started(HealthState? previous) => new() { Status = Starting, FailingStreak = 0, Log = previous?.Log ?? [] };

    /// <summary>What dockerd leaves when the container stops: unhealthy, no streak.</summary>
    public static void Stopped(HealthState state)
    {
        state.Status = Unhealthy;
        state.FailingStreak = 0;
    }

    /// <summary>Go's <c>time.Duration</c> text, as in "Health check exceeded timeout (1m30s)".</summary>
    public static string GoDuration(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        if (d < TimeSpan.FromSeconds(1))
        {
            var ms = d.TotalMilliseconds;
            return ms >= 1 ? $"{Trim(ms)}ms" : $"{Trim(d.Ticks / 10.0)}µs";
        }
        var text = "";
        if (d.TotalHours >= 1) text += $"{(long)d.TotalHours}h";
        if (d.TotalMinutes >= 1) text += $"{d.Minutes}m";
        return text + $"{Trim(d.Seconds + d.Milliseconds / 1000.0 + (d.Ticks % TimeSpan.TicksPerMillisecond) / 1e7)}s";
    }

    private static string Trim(double value) => value.ToString("0.#########", System.Globalization.CultureInfo.InvariantCulture);
}
