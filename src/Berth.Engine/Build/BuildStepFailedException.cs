namespace Berth.Engine.Build;

/// <summary>A RUN whose command failed: the build's error carries the exit code, as dockerd's <c>JSONError</c> does (the CLI exits with it).</summary>
public sealed class BuildStepFailedException(string message, int code) : Exception(message)
{
    public int Code { get; } = code;
}
