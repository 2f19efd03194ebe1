using Berth.Api.Errors;

namespace Berth.Engine.Containers;

/// <summary>Signal names and numbers as <c>docker kill -s</c> and <c>--stop-signal</c> accept them (<c>SIGTERM</c>, <c>TERM</c>, <c>15</c>).</summary>
public static class Signals
{
    public const int Kill = 9, Term = 15;

    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["ABRT"] = 6, ["ALRM"] = 14, ["BUS"] = 7, ["CHLD"] = 17, ["CLD"] = 17, ["CONT"] = 18, ["FPE"] = 8, ["HUP"] = 1,
        ["ILL"] = 4, ["INT"] = 2, ["IO"] = 29, ["IOT"] = 6, ["KILL"] = 9, ["PIPE"] = 13, ["POLL"] = 29, ["PROF"] = 27,
        ["PWR"] = 30, ["QUIT"] = 3, ["SEGV"] = 11, ["STKFLT"] = 16, ["STOP"] = 19, ["SYS"] = 31, ["TERM"] = 15,
        ["TRAP"] = 5, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["USR1"] = 10, ["USR2"] = 12,
        ["VTALRM"] = 26, ["WINCH"] = 28, ["XCPU"] = 24, ["XFSZ"] = 25,
    };

    /// <summary>The signal's number; 400 "Invalid signal" for anything else.</summary>
    public static int Parse(string text)
    {
        if (int.TryParse(text, out var n))
        {
            if (n is < 1 or > 64) throw BerthException.InvalidParameter($"Invalid signal: {text}");
            return n;
        }
        var name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
        if (Numbers.TryGetValue(name, out var number)) return number;
        if (name.StartsWith("RTMIN", StringComparison.Ordinal) || name.StartsWith("RTMAX", StringComparison.Ordinal))
        {
            var offset = name.Length > 5 && int.TryParse(name[5..], out var o) ? o : 0;
            var value = name.StartsWith("RTMIN", StringComparison.Ordinal) ? 34 + offset : 64 + offset;
            if (value is >= 34 and <= 64) return value;
        }
        throw BerthException.InvalidParameter($"Invalid signal: {text}");
    }
}
