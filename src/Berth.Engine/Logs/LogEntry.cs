namespace Berth.Engine.Logs;

/// <summary>Which stream a piece of container output came from; the values are those of Docker's multiplexed stream header.</summary>
public enum OutputStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}

/// <summary>One piece of logged output: a whole line with its newline, or the part of a line logged before the rest.</summary>
public readonly record struct LogEntry(DateTimeOffset Time, OutputStream Stream, ReadOnlyMemory<byte> Content);
