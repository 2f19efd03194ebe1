using System.Globalization;
using System.Text;
using Berth.Api.Wire;

namespace Berth.Engine.Build;

/// <summary>
/// Go's <c>fmt</c> renderings that dockerd's builder puts in history comments
/// (<c>CMD %q</c>, <c>SHELL %v</c>, <c>HEALTHCHECK %q</c>), so <c>docker history</c> reads the same.
/// </summary>
public static class GoFormat
{
    /// <summary><c>%q</c> of a string slice: <c>["/bin/sh" "-c" "echo hi"]</c>.</summary>
    public static string QuoteList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(Quote)) + "]";

    /// <summary><c>%v</c> of a string slice: <c>[/bin/sh -c]</c>.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";

    /// <summary>strconv.Quote for the characters builders meet: escapes quotes, backslashes and control characters.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                case < 0x20 or 0x7f: sb.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"); break;
                default: sb.Append(rune.ToString()); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>strconv.QuoteRune of an int, as <c>%q</c> prints HEALTHCHECK's retries: <c>'\x03'</c>.</summary>
    public static string QuoteRune(int value) => value switch
    {
        '\'' => "'\\''",
        '\\' => "'\\\\'",
        < 0x20 or 0x7f => string.Create(CultureInfo.InvariantCulture, $"'\\x{value:x2}'"),
        < 0x10000 => $"'{(char)value}'",
        _ => $"'{char.ConvertFromUtf32(value)}'",
    };

    /// <summary>Go's <c>time.Duration.String</c>: <c>0s</c>, <c>1.5s</c>, <c>500ms</c>, <c>1m30s</c>, <c>2h0m0s</c>.</summary>
    public static string Duration(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        var negative = nanoseconds < 0;
        var u = (ulong)Math.Abs(nanoseconds);
        string text;
        if (u < 1_000_000_000UL)
        {
            var (unit, scale) = u < 1_000UL ? ("ns", 1UL) : u < 1_000_000UL ? ("µs", 1_000UL) : ("ms", 1_000_000UL);
            text = Fraction(u, scale) + unit;
        }
        else
        {
            var hours = u / 3_600_000_000_000UL;
            var minutes = u / 60_000_000_000UL % 60;
            var seconds = Fraction(u % 60_000_000_000UL, 1_000_000_000UL) + "s";
            text = hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds;
        }
        return negative ? "-" + text : text;
    }

    /// <summary><c>HEALTHCHECK %q</c> of dockerd 20.10's HealthConfig: <c>&amp;{["CMD-SHELL" "true"] "30s" "0s" "0s" '\x00'}</c>.</summary>
    public static string Healthcheck(HealthConfig health) =>
        $"&{{{QuoteList(health.Test ?? [])} {Quote(Duration(health.Interval))} {Quote(Duration(health.Timeout))} {Quote(Duration(health.StartPeriod))} {QuoteRune(health.Retries)}}}";

    private static string Fraction(ulong value, ulong scale)
    {
        var whole = value / scale;
        var rest = value % scale;
        if (rest == 0) return whole.ToString(CultureInfo.InvariantCulture);
        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        return $"{whole}.{rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0')}";
    }
}
