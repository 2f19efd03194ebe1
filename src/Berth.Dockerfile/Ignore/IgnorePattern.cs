using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// One .dockerignore pattern compiled as dockerd 20.10 compiles it: <c>*</c> is anything but <c>/</c>, <c>?</c> one
/// character but <c>/</c>, <c>**</c> (and <c>**/</c>) any number of directories, <c>\</c> quotes the next character, and
/// other characters (including <c>[…]</c> classes) go to the regular expression as they are.
/// </summary>
internal sealed class IgnorePattern
{
    private readonly Regex _regex;

    private IgnorePattern(string text, bool exclusion)
    {
        Text = text;
        IsException = exclusion;
        Depth = text.Split('/').Length;
        _regex = new Regex(ToRegex(text), RegexOptions.CultureInvariant);
    }

    /// <summary>The cleaned pattern, without its <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>A <c>!</c> pattern: it re-includes what it matches.</summary>
    public bool IsException { get; }

    /// <summary>How many path elements the pattern has, to match it against a path's parent directories.</summary>
    public int Depth { get; }

    public static IgnorePattern Parse(string pattern)
    {
        var exclusion = pattern.StartsWith('!');
        if (exclusion && pattern.Length == 1) throw new FormatException("illegal exclusion pattern: \"!\"");
        var text = Berth.Api.GoPath.Clean(exclusion ? pattern[1..] : pattern);
        CheckSyntax(text);
        try
        {
            return new IgnorePattern(text, exclusion);
        }
        catch (ArgumentException)
        {
            throw new FormatException("syntax error in pattern");
        }
    }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '.' or '$':
                    regex.Append('\\').Append(c);
                    break;
                case '\\':
                    regex.Append('\\');
                    if (i + 1 < pattern.Length) regex.Append(pattern[++i]);
                    break;
                default:
                    regex.Append(c);
                    break;
            }
        }
        return regex.Append(@"\z").ToString();
    }

    /// <summary>What Go's filepath.Match refuses: an unclosed or empty <c>[…]</c> and a trailing backslash.</summary>
    private static void CheckSyntax(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (++i >= pattern.Length) throw new FormatException("syntax error in pattern");
                continue;
            }
            if (pattern[i] != '[') continue;
            if (++i < pattern.Length && pattern[i] == '^') i++;
            if (i >= pattern.Length || pattern[i] == ']') throw new FormatException("syntax error in pattern");
            while (i < pattern.Length && pattern[i] != ']') i += pattern[i] == '\\' ? 2 : 1;
            if (i >= pattern.Length) throw new FormatException("syntax error in pattern");
        }
    }
}
