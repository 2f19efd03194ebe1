using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

/// <summary>One exec instance: what <c>POST /containers/{id}/exec</c> asked for, and how its run went.</summary>
public sealed class ExecSession(string id, Container container, ExecCreateRequest config)
{
    public string Id { get; } = id;
    public Container Container { get; } = container;
    public ExecCreateRequest Config { get; } = config;

    /// <summary>The session's monitor directory (attach socket, control fifo), set once started.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Set by the first start; a second start is refused.</summary>
    public bool Started { get; set; }

    public bool Running { get; set; }
    public int? ExitCode { get; set; }
    public int Pid { get; set; }

    public bool Tty => Config.Tty;
    public string DetachKeys => Config.DetachKeys ?? "";
}
