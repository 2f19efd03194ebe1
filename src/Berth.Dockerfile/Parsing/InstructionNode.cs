namespace Berth.Dockerfile;

/// <summary>
/// One instruction as dockerd's parser leaves it, before the per-instruction rules: keyword, raw flag words, the text
/// after them, the arguments split for this keyword, whether they were a JSON array, and ONBUILD's trigger.
/// </summary>
internal sealed record InstructionNode(string Keyword, IReadOnlyList<string> FlagWords, string Rest, IReadOnlyList<string> Args,
    bool IsJson, string Original, int StartLine, int EndLine, InstructionNode? Trigger)
{
    /// <summary>Splits one logical line; throws <see cref="FormatException"/> for what dockerd's parser refuses.</summary>
    public static InstructionNode FromLine(string line, int startLine, int endLine, char escape)
    {
        var parts = ParserWords.SplitFirst(line.Trim());
        var keyword = parts[0].ToLowerInvariant();
        var (rest, flagWords) = parts.Length == 2 ? BuilderFlags.Extract(parts[1]) : ("", []);
        rest = rest.Trim();
        var (args, json, trigger) = SplitArguments(keyword, rest, escape, startLine, endLine);
        return new InstructionNode(keyword, flagWords, rest, args, json, line.Trim(), startLine, endLine, trigger);
    }

    private static (List<string> Args, bool Json, InstructionNode? Trigger) SplitArguments(string keyword, string rest, char escape, int startLine, int endLine)
    {
        switch (keyword)
        {
            case "add" or "copy" or "volume":
                return JsonArrayForm.TryParse(rest) is { } list ? (list, true, null) : (ParserWords.SplitWhitespace(rest), false, null);
            case "cmd" or "entrypoint" or "run" or "shell":
                if (rest.Length == 0) return ([], false, null);
                return JsonArrayForm.TryParse(rest) is { } exec ? (exec, true, null) : ([rest], false, null);
            case "expose" or "from":
                return (ParserWords.SplitWhitespace(rest), false, null);
            case "env" or "label":
                return (NameValues(rest, keyword.ToUpperInvariant(), escape), false, null);
            case "arg":
                return (ParserWords.SplitQuoted(rest, escape), false, null);
            case "maintainer" or "stopsignal" or "user" or "workdir":
                return (rest.Length == 0 ? [] : [rest], false, null);
            case "healthcheck":
                return Healthcheck(rest);
            case "onbuild":
                if (rest.Length == 0) return ([], false, null);
                var trigger = FromLine(rest, startLine, endLine, escape);
                return ([trigger.Keyword, trigger.Original], false, trigger);
            default:
                return ([], false, null);
        }
    }

    /// <summary>ENV and LABEL: <c>k=v k2=v2</c>, or the legacy <c>KEY value with spaces</c>; keys and values keep their quotes.</summary>
    private static List<string> NameValues(string rest, string what, char escape)
    {
        var words = ParserWords.SplitQuoted(rest, escape);
        if (words.Count == 0) return [];
        if (!words[0].Contains('='))
        {
            var parts = ParserWords.SplitFirst(rest);
            if (parts.Length < 2) throw new FormatException($"{what} must have two arguments");
            return [parts[0], parts[1]];
        }
        var result = new List<string>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq < 0) throw new FormatException($"Syntax error - can't find = in {GoQuote(word)}. Must be of the form: name=value");
            result.Add(word[..eq]);
            result.Add(word[(eq + 1)..]);
        }
        return result;
    }

    /// <summary>Go's <c>%q</c> for the common cases: quotes and backslashes escaped.</summary>
    internal static string GoQuote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>HEALTHCHECK: the type word, then the command in exec or shell form.</summary>
    private static (List<string>, bool, InstructionNode?) Healthcheck(string rest)
    {
        var sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        if (sep == 0) return ([], false, null);
        var command = rest[sep..].TrimStart();
        if (command.Length == 0) return ([rest[..sep]], false, null);
        return JsonArrayForm.TryParse(command) is { } exec ? ([rest[..sep], .. exec], true, null) : ([rest[..sep], command], false, null);
    }
}
