namespace Berth.Dockerfile;

/// <summary>The <c>--name=value</c> words at the start of an instruction's arguments, split as dockerd splits them.</summary>
internal static class BuilderFlags
{
    /// <summary>
    /// Takes the leading words that start with <c>--</c> (quotes group, a backslash quotes the next character, a lone
    /// <c>--</c> ends the flags) and returns them with the rest of the line.
    /// </summary>
    public static (string Remainder, List<string> Words) Extract(string line)
    {
        var words = new List<string>();
        var pos = 0;
        while (true)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos])) pos++;
            if (pos >= line.Length) return ("", words);
            if (!(line[pos] == '-' && pos + 1 < line.Length && line[pos + 1] == '-')) return (line[pos..], words);
            var word = new System.Text.StringBuilder();
            var blankOk = false;
            char quote = '\0';
            while (pos < line.Length && (quote != '\0' || !char.IsWhiteSpace(line[pos])))
            {
                var c = line[pos];
                if (quote == '\0' && c is '\'' or '"')
                {
                    quote = c;
                    blankOk = true;
                    pos++;
                    continue;
                }
                if (quote != '\0' && c == quote)
                {
                    quote = '\0';
                    pos++;
                    continue;
                }
                if (c == '\\')
                {
                    pos++;
                    if (pos >= line.Length) break;
                    c = line[pos];
                }
                word.Append(c);
                pos++;
            }
            var text = word.ToString();
            if (text == "--") return (pos >= line.Length ? "" : line[pos..], words);
            if (blankOk || text.Length > 0) words.Add(text);
        }
    }

    /// <summary>
    /// Checks the words against the flags an instruction takes (all take a value) and returns them by name; dockerd's
    /// messages for an unknown flag, a flag given twice (only <paramref name="repeatable"/> ones may be) or one without a value.
    /// </summary>
    public static Dictionary<string, string> Validate(IReadOnlyList<string> words, IReadOnlyCollection<string> allowed, params string[] repeatable)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var arg = word[2..];
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg : arg[..eq];
            if (!allowed.Contains(name)) throw new FormatException($"Unknown flag: {name}");
            if (flags.ContainsKey(name) && !repeatable.Contains(name)) throw new FormatException($"Duplicate flag specified: {name}");
            if (eq < 0) throw new FormatException($"Missing a value on flag: {name}");
            flags[name] = arg[(eq + 1)..];
        }
        return flags;
    }

    /// <summary>The flags by name without checking them, as dockerd keeps them for instructions that never look (ARG, STOPSIGNAL).</summary>
    public static Dictionary<string, string> Unchecked(IReadOnlyList<string> words)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var arg = word[2..];
            var eq = arg.IndexOf('=');
            flags[eq < 0 ? arg : arg[..eq]] = eq < 0 ? "" : arg[(eq + 1)..];
        }
        return flags;
    }
}
