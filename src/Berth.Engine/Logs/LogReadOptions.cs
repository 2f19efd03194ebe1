namespace Berth.Engine.Logs;

/// <summary>What <c>docker logs</c> asked for.</summary>
public sealed record LogReadOptions
{
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    public bool Follow { get; init; }
    public bool Timestamps { get; init; }

    /// <summary>How many of the last lines to send; null for all.</summary>
    public int? Tail { get; init; }

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
}
