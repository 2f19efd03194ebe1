using Berth.Api.Errors;

namespace Berth.Dockerfile;

/// <summary>
/// A .dockerignore file with dockerd 20.10's rules: one pattern a line, lines starting with <c>#</c> are comments, patterns
/// are trimmed and cleaned (a leading <c>/</c> is dropped), <c>!</c> re-includes, and the last matching pattern decides.
/// A pattern matches a path or any of its parent directories (<c>dir</c> excludes everything under it).
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<IgnorePattern> _patterns;

    private DockerIgnore(List<IgnorePattern> patterns) => _patterns = patterns;

    /// <summary>The cleaned patterns in order, exceptions with their <c>!</c>.</summary>
    public IReadOnlyList<string> Patterns => [.. _patterns.Select(p => p.IsException ? "!" + p.Text : p.Text)];

    /// <summary>Reads a .dockerignore; a malformed pattern is a 400 with Go's message (<c>syntax error in pattern</c>).</summary>
    public static DockerIgnore Parse(string text)
    {
        var patterns = new List<IgnorePattern>();
        if (text.StartsWith('\uFEFF')) text = text[1..];
        foreach (var raw in text.Split('\n'))
        {
            if (raw.StartsWith('#')) continue;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var exception = line.StartsWith('!');
            if (exception) line = line[1..].Trim();
            if (line.Length > 0)
            {
                line = Berth.Api.GoPath.Clean(line);
                if (line.Length > 1 && line[0] == '/') line = line[1..];
            }
            try
            {
                patterns.Add(IgnorePattern.Parse(exception ? "!" + line : line));
            }
            catch (FormatException e)
            {
                throw BerthException.InvalidParameter(e.Message);
            }
        }
        return new DockerIgnore(patterns);
    }

    /// <summary>Whether a path relative to the context (slash-separated, <c>./</c> and a leading <c>/</c> allowed) is excluded.</summary>
    public bool Excludes(string relativePath)
    {
        var path = Relative(relativePath);
        var parent = Parent(path);
        var parentDirs = parent.Split('/');
        var excluded = false;
        foreach (var pattern in _patterns)
        {
            var match = pattern.IsMatch(path);
            if (!match && parent != "." && pattern.Depth <= parentDirs.Length)
                match = pattern.IsMatch(string.Join('/', parentDirs.Take(pattern.Depth)));
            if (match) excluded = !pattern.IsException;
        }
        return excluded;
    }

    /// <summary>
    /// Whether an excluded directory must still be walked because an exception pattern may re-include something under
    /// it. Like dockerd, only exceptions whose text starts with the directory count (<c>!dir/keep</c>, not <c>!**/keep</c>).
    /// </summary>
    public bool MayIncludeUnder(string relativeDirectory)
    {
        var prefix = Relative(relativeDirectory) + "/";
        return _patterns.Any(p => p.IsException && (p.Text + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The build files dockerd removes from the context after reading them: <c>.dockerignore</c> and the Dockerfile, each
    /// when a pattern excludes it (the Dockerfile is still used for the build).
    /// </summary>
    public IReadOnlyList<string> ExcludedBuildFiles(string dockerfilePath) =>
        [.. new[] { ".dockerignore", dockerfilePath }.Where(Excludes)];

    private static string Relative(string path)
    {
        var cleaned = Berth.Api.GoPath.Clean(path);
        return cleaned.StartsWith('/') ? (cleaned.Length == 1 ? "." : cleaned[1..]) : cleaned;
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "." : path[..slash];
    }
}
