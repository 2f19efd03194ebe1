namespace Berth.Dockerfile;

/// <summary>Go's <c>filepath.Match</c> on slash-separated paths, which dockerd uses for COPY/ADD wildcards.</summary>
internal static class GoFilepathMatch
{
    /// <summary>Whether a COPY source has wildcards (<c>*</c>, <c>?</c>, <c>[</c>) not quoted by a backslash.</summary>
    public static bool HasWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\') i++;
            else if (pattern[i] is '*' or '?' or '[') return true;
        }
        return false;
    }

    /// <summary><c>*</c> any run of non-separators, <c>?</c> one non-separator, <c>[a-z]</c> / <c>[^a-z]</c> classes, <c>\</c> quotes; a malformed pattern matches nothing.</summary>
    public static bool IsMatch(string pattern, string name)
    {
        try
        {
            return Match(pattern, 0, name, 0);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Match(string pattern, int p, string name, int n)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                while (p < pattern.Length && pattern[p] == '*') p++;
                for (var end = n; ; end++)
                {
                    if (Match(pattern, p, name, end)) return true;
                    if (end >= name.Length || name[end] == '/') return false;
                }
            }
            if (n >= name.Length) return false;
            switch (c)
            {
                case '?':
                    if (name[n] == '/') return false;
                    p++;
                    break;
                case '[':
                    if (name[n] == '/' || !MatchClass(pattern, ref p, name[n])) return false;
                    break;
                case '\\':
                    if (++p >= pattern.Length) throw new FormatException("syntax error in pattern");
                    if (pattern[p++] != name[n]) return false;
                    break;
                default:
                    if (c != name[n]) return false;
                    p++;
                    break;
            }
            n++;
        }
        return n == name.Length;
    }

    /// <summary>Matches one character against the class starting at <paramref name="p"/> (a <c>[</c>) and moves past it.</summary>
    private static bool MatchClass(string pattern, ref int p, char ch)
    {
        p++;
        var negated = p < pattern.Length && pattern[p] == '^';
        if (negated) p++;
        var matched = false;
        var count = 0;
        while (true)
        {
            if (p >= pattern.Length) throw new FormatException("syntax error in pattern");
            if (pattern[p] == ']' && count > 0)
            {
                p++;
                break;
            }
            var low = Escaped(pattern, ref p);
            var high = low;
            if (p < pattern.Length && pattern[p] == '-')
            {
                p++;
                high = Escaped(pattern, ref p);
            }
            if (low <= ch && ch <= high) matched = true;
            count++;
        }
        return matched != negated;
    }

    private static char Escaped(string pattern, ref int p)
    {
        if (p >= pattern.Length || pattern[p] is '-' or ']') throw new FormatException("syntax error in pattern");
        if (pattern[p] == '\\' && ++p >= pattern.Length) throw new FormatException("syntax error in pattern");
        return pattern[p++];
    }
}
