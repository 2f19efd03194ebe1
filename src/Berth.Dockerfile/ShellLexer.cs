using System.Text;

namespace Berth.Dockerfile;

/// <summary>
/// Splits and expands words as Dockerfile instructions do: single quotes are literal,
/// double quotes group and still expand, the escape character (<c>\</c> or <c>`</c>) quotes the
/// next character, and <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR:+alternative}</c>
/// expand from the given environment (unset variables expand to nothing).
/// </summary>
public sealed class ShellLexer(char escape = '\\')
{
    /// <summary>Expands variables and removes quotes, keeping the result as one word.</summary>
    public string ProcessWord(string text, IReadOnlyDictionary<string, string> env) =>
        string.Concat(Process(text, env, splitWords: false));

    /// <summary>Expands variables and removes quotes, splitting on unquoted whitespace.</summary>
    public IReadOnlyList<string> ProcessWords(string text, IReadOnlyDictionary<string, string> env) =>
        Process(text, env, splitWords: true);

    private List<string> Process(string text, IReadOnlyDictionary<string, string> env, bool splitWords)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (splitWords && char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException("unexpected end of statement while looking for matching single-quote");
                current.Append(text, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException("unexpected end of statement while looking for matching double-quote");
                    var d = text[i];
                    if (d == '"') { i++; break; }
                    if (d == escape && i + 1 < text.Length)
                    {
                        var next = text[i + 1];
                        // Inside double quotes the escape only quotes characters that are special there.
                        if (next is '"' or '$' || next == escape) { current.Append(next); i += 2; continue; }
                        current.Append(d);
                        i++;
                        continue;
                    }
                    if (d == '$') { i = Expand(text, i, env, current); continue; }
                    current.Append(d);
                    i++;
                }
            }
            else if (c == escape)
            {
                if (i + 1 < text.Length) current.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '$')
            {
                i = Expand(text, i, env, current);
            }
            else
            {
                current.Append(c);
                i++;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>Expands the variable reference at <paramref name="start"/> (a <c>$</c>); returns the index after it.</summary>
    private int Expand(string text, int start, IReadOnlyDictionary<string, string> env, StringBuilder output)
    {
        var i = start + 1;
        if (i >= text.Length) { output.Append('$'); return i; }
        if (text[i] == '{')
        {
            var close = FindClosingBrace(text, i + 1);
            var body = text[(i + 1)..close];
            var nameLength = 0;
            while (nameLength < body.Length && IsNameChar(body[nameLength], nameLength == 0)) nameLength++;
            if (nameLength == 0) throw new FormatException($"bad substitution: ${{{body}}}");
            var name = body[..nameLength];
            var rest = body[nameLength..];
            var isSet = env.TryGetValue(name, out var value);
            if (rest.Length == 0)
            {
                output.Append(value ?? "");
            }
            else if (rest.StartsWith(":-", StringComparison.Ordinal) || rest.StartsWith(":+", StringComparison.Ordinal)
                     || rest.StartsWith('-') || rest.StartsWith('+'))
            {
                var colon = rest[0] == ':';
                var op = colon ? rest[1] : rest[0];
                var word = ProcessWord(rest[(colon ? 2 : 1)..], env);
                var present = colon ? !string.IsNullOrEmpty(value) : isSet;
                output.Append(op == '-' ? (present ? value : word) : (present ? word : ""));
            }
            else
            {
                throw new FormatException($"unsupported modifier ({rest}) in substitution");
            }
            return close + 1;
        }
        var end = i;
        while (end < text.Length && IsNameChar(text[end], end == i)) end++;
        if (end == i) { output.Append('$'); return i; }
        output.Append(env.GetValueOrDefault(text[i..end], ""));
        return end;
    }

    private static int FindClosingBrace(string text, int from)
    {
        var depth = 1;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        throw new FormatException("missing '}' in variable substitution");
    }

    private static bool IsNameChar(char c, bool first) =>
        char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c));
}
