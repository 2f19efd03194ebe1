namespace Berth.Images.References;

/// <summary>
/// Go's <c>path.Match</c> shell patterns, which the <c>reference</c> filter uses:
/// <c>*</c> matches any run of characters except <c>/</c>, <c>?</c> one such character,
/// <c>[...]</c> a class with ranges and <c>^</c> negation, and <c>\</c> escapes.
/// </summary>
public static class GoPathMatch
{
    public static bool IsMatch(string pattern, string name)
    {
        if (!TryMatch(pattern, 0, name, 0, out var matched))
            throw new ArgumentException($"syntax error in pattern: {pattern}");
        return matched;
    }

    private static bool TryMatch(string p, int pi, string s, int si, out bool matched)
    {
        matched = false;
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                while (pi < p.Length && p[pi] == '*') pi++;
                for (var k = si; k <= s.Length; k++)
                {
                    if (!TryMatch(p, pi, s, k, out var rest)) return false;
                    if (rest) { matched = true; return true; }
                    if (k < s.Length && s[k] == '/') break;
                }
                return ValidateRest(p, pi);
            }
            if (si >= s.Length) return ValidateRest(p, pi);
            switch (c)
            {
                case '?':
                    if (s[si] == '/') return ValidateRest(p, pi + 1);
                    pi++; si++;
                    break;
                case '[':
                    if (!TryMatchClass(p, ref pi, s[si], out var inClass)) return false;
                    if (!inClass) return ValidateRest(p, pi);
                    si++;
                    break;
                case '\\':
                    if (pi + 1 >= p.Length) return false;
                    if (p[pi + 1] != s[si]) return ValidateRest(p, pi + 2);
                    pi += 2; si++;
                    break;
                default:
                    if (c != s[si]) return ValidateRest(p, pi + 1);
                    pi++; si++;
                    break;
            }
        }
        matched = si == s.Length;
        return true;
    }

    private static bool ValidateRest(string p, int pi)
    {
        while (pi < p.Length)
        {
            switch (p[pi])
            {
                case '[':
                    if (!TryMatchClass(p, ref pi, '\0', out _)) return false;
                    break;
                case '\\':
                    if (pi + 1 >= p.Length) return false;
                    pi += 2;
                    break;
                default:
                    pi++;
                    break;
            }
        }
        return true;
    }

    private static bool TryMatchClass(string p, ref int pi, char c, out bool matched)
    {
        matched = false;
        pi++;
        var negate = pi < p.Length && p[pi] == '^';
        if (negate) pi++;
        var first = true;
        var found = false;
        while (true)
        {
            if (pi >= p.Length) return false;
            if (p[pi] == ']' && !first) { pi++; break; }
            first = false;
            if (!TryClassChar(p, ref pi, out var lo)) return false;
            var hi = lo;
            if (pi < p.Length && p[pi] == '-' && pi + 1 < p.Length && p[pi + 1] != ']')
            {
                pi++;
                if (!TryClassChar(p, ref pi, out hi)) return false;
            }
            if (lo <= c && c <= hi) found = true;
        }
        matched = found != negate;
        return true;
    }

    private static bool TryClassChar(string p, ref int pi, out char c)
    {
        c = '\0';
        if (pi >= p.Length || p[pi] is '-' or ']') return false;
        if (p[pi] == '\\')
        {
            pi++;
            if (pi >= p.Length) return false;
        }
        c = p[pi++];
        return true;
    }
}
