using System.Text;

namespace Berth.Dockerfile;

/// <summary>
/// Expands words as dockerd's Dockerfile shell lexer does: single quotes are literal; double quotes group and still
/// expand, and there the escape token only quotes <c>"</c>, <c>$</c> and itself; outside quotes the escape token
/// (<c>\</c> or <c>`</c>) quotes the next character. <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-word}</c> (unset or empty),
/// <c>${NAME:+word}</c> (set and not empty) and <c>${NAME:?message}</c> expand from the environment; an unset variable is
/// empty; <c>$1</c> and special parameters (<c>$@</c>, <c>$$</c>…) are names too, never set. Errors are
/// <see cref="FormatException"/>s with dockerd's wording (<c>failed to process "…": …</c>).
/// </summary>
public sealed class ShellLexer(char escape = '\\')
{
    /// <summary>Expands variables and removes quotes, keeping the result as one word (as for ENV, COPY, WORKDIR…).</summary>
    public string ProcessWord(string text, IReadOnlyDictionary<string, string> env) => Run(text, env).Word;

    /// <summary>
    /// Expands and splits into words on unquoted whitespace, including whitespace that comes from unquoted variables
    /// (dockerd does this only for EXPOSE). Empty quoted strings make no word.
    /// </summary>
    public IReadOnlyList<string> ProcessWords(string text, IReadOnlyDictionary<string, string> env) => Run(text, env).Words;

    private (string Word, List<string> Words) Run(string text, IReadOnlyDictionary<string, string> env)
    {
        try
        {
            return new Scan(text, escape, env).UntilStop(null);
        }
        catch (FormatException e)
        {
            throw new FormatException($"failed to process {GoQuote(text)}: {e.Message}", e);
        }
    }

    private static string GoQuote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>One pass over the text; methods mirror the shell grammar (quotes, dollar forms) and advance <see cref="_pos"/>.</summary>
    private sealed class Scan(string text, char escape, IReadOnlyDictionary<string, string> env)
    {
        private int _pos;

        private int Peek => _pos < text.Length ? text[_pos] : -1;

        private char Next() => text[_pos++];

        /// <summary>Reads until <paramref name="stop"/> (consumed) or the end; returns the joined word and the split words.</summary>
        public (string Word, List<string> Words) UntilStop(char? stop)
        {
            var result = new StringBuilder();
            var words = new WordSplitter();
            while (Peek >= 0)
            {
                var c = (char)Peek;
                if (stop == c)
                {
                    _pos++;
                    return (result.ToString(), words.Finish());
                }
                if (c is '\'' or '"' or '$')
                {
                    var part = c == '\'' ? SingleQuoted() : c == '"' ? DoubleQuoted() : Dollar();
                    result.Append(part);
                    if (c == '$') words.AddExpanded(part);
                    else words.AddQuoted(part);
                    continue;
                }
                c = Next();
                if (c == escape)
                {
                    if (Peek < 0) break;
                    c = Next();
                    words.AddQuoted(c.ToString());
                }
                else
                {
                    words.AddExpanded(c.ToString());
                }
                result.Append(c);
            }
            if (stop is { } s) throw new FormatException($"unexpected end of statement while looking for matching {s}");
            return (result.ToString(), words.Finish());
        }

        private string SingleQuoted()
        {
            _pos++;
            var end = text.IndexOf('\'', _pos);
            if (end < 0) throw new FormatException("unexpected end of statement while looking for matching single-quote");
            var literal = text[_pos..end];
            _pos = end + 1;
            return literal;
        }

        private string DoubleQuoted()
        {
            _pos++;
            var result = new StringBuilder();
            while (true)
            {
                switch (Peek)
                {
                    case < 0:
                        throw new FormatException("unexpected end of statement while looking for matching double-quote");
                    case '"':
                        _pos++;
                        return result.ToString();
                    case '$':
                        result.Append(Dollar());
                        continue;
                }
                var c = Next();
                if (c == escape)
                {
                    if (Peek < 0) continue;
                    if (Peek == '"' || Peek == '$' || Peek == escape) c = Next();
                }
                result.Append(c);
            }
        }

        private string Dollar()
        {
            _pos++;
            if (Peek != '{')
            {
                var plain = Name();
                return plain.Length == 0 ? "$" : env.GetValueOrDefault(plain, "");
            }
            _pos++;
            if (Peek < 0) throw new FormatException("syntax error: missing '}'");
            if (Peek is '{' or '}' or ':') throw new FormatException("syntax error: bad substitution");
            var name = Name();
            if (Peek < 0) throw new FormatException("missing ':' in substitution");
            var c = Next();
            if (c == '}') return env.GetValueOrDefault(name, "");
            if (c != ':') throw new FormatException("missing ':' in substitution");
            var modifier = Peek < 0 ? '\0' : Next();
            string word;
            try
            {
                word = UntilStop('}').Word;
            }
            catch (FormatException) when (Peek < 0)
            {
                throw new FormatException("syntax error: missing '}'");
            }
            var found = env.TryGetValue(name, out var value);
            value ??= "";
            return modifier switch
            {
                '+' => value.Length > 0 ? word : value,
                '-' => value.Length == 0 ? word : value,
                '?' when !found => throw new FormatException($"{name}: {(word.Length == 0 ? "is not allowed to be unset" : word)}"),
                '?' when value.Length == 0 => throw new FormatException($"{name}: {(word.Length == 0 ? "is not allowed to be empty" : word)}"),
                '?' => value,
                _ => throw new FormatException($"unsupported modifier ({modifier}) in substitution"),
            };
        }

        /// <summary>A variable name: letters, digits and _; or a run of digits; or one special parameter.</summary>
        private string Name()
        {
            var start = _pos;
            if (Peek >= 0 && char.IsDigit((char)Peek))
            {
                while (Peek >= 0 && char.IsDigit((char)Peek)) _pos++;
                return text[start.._pos];
            }
            if (Peek is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0') return Next().ToString();
            while (Peek >= 0 && (char.IsLetterOrDigit((char)Peek) || Peek == '_')) _pos++;
            return text[start.._pos];
        }
    }

    /// <summary>Splits into words: whitespace from plain text and unquoted expansions separates, quoted text never does.</summary>
    private sealed class WordSplitter
    {
        private readonly List<string> _words = [];
        private readonly StringBuilder _word = new();
        private bool _inWord;

        public void AddExpanded(string text)
        {
            foreach (var c in text)
            {
                if (!char.IsWhiteSpace(c)) AddQuoted(c.ToString());
                else if (_inWord && _word.Length > 0)
                {
                    _words.Add(_word.ToString());
                    _word.Clear();
                    _inWord = false;
                }
            }
        }

        public void AddQuoted(string text)
        {
            _word.Append(text);
            _inWord = true;
        }

        public List<string> Finish()
        {
            if (_word.Length > 0) _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
            return _words;
        }
    }
}
