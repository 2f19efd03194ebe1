namespace Berth.Runtime.Conmon;

/// <summary>How to run one exec session in a running container under its own monitor.</summary>
public sealed record ExecLaunch
{
    public required string ContainerId { get; init; }
    public required string ExecId { get; init; }

    /// <summary>The session's own directory: conmon's attach socket, control fifo and PID file go here.</summary>
    public required string Directory { get; init; }

    /// <summary>The OCI process (JSON) runc runs inside the container.</summary>
    public required string ProcessSpecPath { get; init; }

    public bool Stdin { get; init; }
    public bool Tty { get; init; }
}
