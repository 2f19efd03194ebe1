using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>How dockerd's parser splits argument text into words before any variable expansion.</summary>
internal static partial class ParserWords
{
    /// <summary>Splits on spaces and tabs (not other whitespace), as dockerd splits FROM, EXPOSE and shell-form COPY.</summary>
    public static List<string> SplitWhitespace(string text) =>
        text.Length == 0 ? [] : [.. Whitespace().Split(text)];

    /// <summary>Splits into two at the first run of whitespace.</summary>
    public static string[] SplitFirst(string text) => Whitespace().Split(text, 2);

    /// <summary>
    /// Splits on whitespace outside quotes, keeping the quotes and escapes in the words (they are removed later, at
    /// expansion), as dockerd splits ENV, LABEL and ARG. An escape token inside single quotes is literal.
    /// </summary>
    public static List<string> SplitQuoted(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var blankOk = false;
        char quote = '\0';
        for (var pos = 0; pos < text.Length; pos++)
        {
            var c = text[pos];
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(c))
                {
                    if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
                    word.Clear();
                    inWord = blankOk = false;
                    continue;
                }
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                    blankOk = true;
                }
                else if (c == escape)
                {
                    if (pos + 1 == text.Length) continue;
                    word.Append(c);
                    c = text[++pos];
                }
                word.Append(c);
                continue;
            }
            if (c == quote) quote = '\0';
            else if (c == escape && quote != '\'')
            {
                if (pos + 1 == text.Length)
                {
                    quote = '\0';
                    continue;
                }
                word.Append(c);
                c = text[++pos];
            }
            word.Append(c);
        }
        if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
        return words;
    }

    [GeneratedRegex(@"[\t\v\f\r ]+")]
    private static partial Regex Whitespace();
}
