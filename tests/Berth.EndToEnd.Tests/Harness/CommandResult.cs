namespace Berth.EndToEnd.Tests.Harness;

/// <summary>What a command did: its exit code and everything it printed.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public CommandResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }

    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
