using System.Globalization;

namespace Berth.Api.Filters;

/// <summary>Go's duration syntax ("1h30m", "-1.5s", "300ms"), which Docker clients send for since/until filters.</summary>
public static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var s = text.AsSpan();
        if (s.IsEmpty) return false;
        var negative = false;
        if (s[0] is '-' or '+') { negative = s[0] == '-'; s = s[1..]; }
        if (s.SequenceEqual("0")) return true;
        if (s.IsEmpty) return false;
        double totalNanos = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0) return false;
            if (!double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            s = s[i..];
            var u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.') u++;
            double unitNanos = s[..u] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => -1,
            };
            if (unitNanos < 0) return false;
            totalNanos += number * unitNanos;
            s = s[u..];
        }
        duration = TimeSpan.FromTicks((long)(totalNanos / 100) * (negative ? -1 : 1));
        return true;
    }
}
