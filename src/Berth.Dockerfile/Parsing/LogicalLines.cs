namespace Berth.Dockerfile;

/// <summary>One instruction's text with its continuation lines joined, and the lines it spans (1-based).</summary>
internal sealed record LogicalLine(string Text, int StartLine, int EndLine);

/// <summary>
/// Splits a Dockerfile into instructions as dockerd's parser does: a UTF-8 BOM and CR line ends are dropped, directives are read
/// at the top, comment lines (<c>#</c> after optional whitespace) are skipped, also inside a continuation, a line ending in the
/// escape token (then optional spaces or tabs; not itself escaped) continues on the next one, and empty continuation lines are skipped with a warning.
/// Continuation lines keep their leading whitespace; a <c>#</c> after text is not a comment.
/// </summary>
internal static class LogicalLines
{
    public static (char Escape, List<LogicalLine> Lines, List<string> Warnings) Read(string text)
    {
        var physical = SplitLines(text);
        var directives = new ParserDirectives();
        var result = new List<LogicalLine>();
        var warnings = new List<string>();
        var index = 0;
        while (index < physical.Count)
        {
            var first = physical[index].TrimStart();
            directives.See(first);
            index++;
            var startLine = index;
            if (IsComment(first)) continue;
            var (line, ended) = TrimContinuation(first, directives.EscapeToken);
            if (ended && line.Length == 0) continue;
            var hasEmptyContinuation = false;
            while (!ended && index < physical.Count)
            {
                var next = physical[index];
                directives.See(next);
                index++;
                if (IsComment(next.TrimStart())) continue;
                if (next.Trim().Length == 0)
                {
                    hasEmptyContinuation = true;
                    continue;
                }
                (var piece, ended) = TrimContinuation(next, directives.EscapeToken);
                line += piece;
            }
            if (hasEmptyContinuation) warnings.Add("[WARNING]: Empty continuation line found in:\n    " + line);
            result.Add(new LogicalLine(line, startLine, index));
        }
        if (warnings.Count > 0) warnings.Add("[WARNING]: Empty continuation lines will become errors in a future release.");
        return (directives.EscapeToken, result, warnings);
    }

    private static List<string> SplitLines(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        if (lines.Count > 0 && text.EndsWith('\n')) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static bool IsComment(string leftTrimmed) => leftTrimmed.StartsWith('#');

    /// <summary>
    /// Removes a trailing escape token (and the spaces or tabs after it); false when the line continues. An escape token
    /// right after another one (<c>\\</c>, <c>\\\</c>) is not a continuation, as dockerd 20.10 reads it.
    /// </summary>
    private static (string Line, bool Ended) TrimContinuation(string line, char escape)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        if (end > 0 && line[end - 1] == escape && (end == 1 || line[end - 2] != escape)) return (line[..(end - 1)], false);
        return (line, true);
    }
}
