using System.Globalization;
using Berth.Api.Errors;

namespace Berth.Api.Filters;

/// <summary>
/// Time values as the Docker API accepts them in filters and log options: a Go duration
/// counted back from now, a Unix timestamp ("1700000000" or "1700000000.5"), or an
/// RFC 3339 date or date-time with or without a zone (no zone means the daemon's local time).
/// </summary>
public static class Timestamps
{
    private static readonly string[] Layouts =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HHK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH",
        "yyyy-MM-ddK", "yyyy-MM-dd",
    ];

    public static DateTimeOffset Parse(string value, DateTimeOffset now)
    {
        if (TryParse(value, now, out var result)) return result;
        throw BerthException.InvalidParameter($"failed to parse value as time or duration: \"{value}\"");
    }

    public static bool TryParse(string value, DateTimeOffset now, out DateTimeOffset result)
    {
        result = default;
        if (string.IsNullOrEmpty(value)) return false;
        if (GoDuration.TryParse(value, out var ago) && value.Any(char.IsAsciiLetter))
        {
            result = now - ago;
            return true;
        }
        var normalized = value.EndsWith('z') ? value[..^1] + "Z" : value;
        if (DateTimeOffset.TryParseExact(normalized, Layouts, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out result))
            return true;
        if (value.Contains('-')) return false;
        return TryParseUnix(value, out result);
    }

    private static bool TryParseUnix(string value, out DateTimeOffset result)
    {
        result = default;
        var parts = value.Split('.', 2);
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return false;
        long nanos = 0;
        if (parts.Length == 2)
        {
            if (parts[1].Length == 0 || parts[1].Length > 9 || !parts[1].All(char.IsAsciiDigit)) return false;
            nanos = long.Parse(parts[1].PadRight(9, '0'), CultureInfo.InvariantCulture);
        }
        result = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return true;
    }
}
