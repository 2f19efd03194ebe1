using Berth.Api.Wire;

namespace Berth.Engine.Containers;

/// <summary>What <c>POST /commit</c> asks for.</summary>
public sealed record CommitOptions
{
    public required string Container { get; init; }
    public string? Repository { get; init; }
    public string? Tag { get; init; }
    public string? Author { get; init; }
    public string? Comment { get; init; }
    public IReadOnlyList<string> Changes { get; init; } = [];
    /// <summary>Freeze a running container while its layer is read (the default from API 1.13 on).</summary>
    public bool Pause { get; init; } = true;
    /// <summary>A configuration sent in the body, used instead of the container's as the base for the changes.</summary>
    public ContainerConfig? Config { get; init; }
}
