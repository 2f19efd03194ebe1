using Berth.Api.Errors;

namespace Berth.Dockerfile;

/// <summary>
/// A Dockerfile dockerd would refuse, with its wording: <c>dockerfile parse error line N: …</c> for an invalid instruction,
/// <c>failed to parse Dockerfile: …</c> for a syntax error, or a bare message (empty file, no FROM).
/// </summary>
public sealed class DockerfileParseException(string message, int? line = null) : BerthException(ErrorKind.InvalidParameter, message)
{
    /// <summary>The 1-based line of the offending instruction, when dockerd names one.</summary>
    public int? Line { get; } = line;

    internal static DockerfileParseException Syntax(string message) => new($"failed to parse Dockerfile: {message}");

    internal static DockerfileParseException AtLine(int line, string message) => new($"dockerfile parse error line {line}: {message}", line);
}
