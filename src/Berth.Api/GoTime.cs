using System.Globalization;

namespace Berth.Api;

/// <summary>Times formatted as Go's RFC 3339 with nanoseconds, the form every Docker timestamp takes.</summary>
public static class GoTime
{
    public static readonly string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>UTC, fractional seconds without trailing zeros: <c>2024-01-02T03:04:05.1234567Z</c>.</summary>
    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    /// <summary>A Unix time with nanoseconds, as Go's <c>time.Time</c> marshals it in UTC: <c>2026-11-22T07:50:27.03627097Z</c>.</summary>
    public static string FormatUnix(long seconds, uint nanoseconds)
    {
        var whole = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = nanoseconds.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return whole + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }
}
