using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// The <c># name=value</c> lines at the very top of a Dockerfile. Only <c>escape</c> and <c>syntax</c> are directives
/// (<c>syntax</c> is accepted and ignored); any other line, including a comment or a blank line, ends them.
/// </summary>
internal sealed partial class ParserDirectives
{
    private readonly HashSet<string> _seen = [];
    private bool _done;

    public char EscapeToken { get; private set; } = '\\';

    /// <summary>Looks at one line (left-trimmed) while directives may still appear.</summary>
    public void See(string line)
    {
        if (_done) return;
        var match = DirectivePattern().Match(line);
        var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (name is not ("escape" or "syntax"))
        {
            _done = true;
            return;
        }
        if (!_seen.Add(name)) throw DockerfileParseException.Syntax($"only one {name} parser directive can be used");
        if (name != "escape") return;
        var value = match.Groups[2].Value;
        if (value is not ("`" or "\\")) throw DockerfileParseException.Syntax($"invalid escape token '{value}' does not match ` or \\");
        EscapeToken = value[0];
    }

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectivePattern();
}
