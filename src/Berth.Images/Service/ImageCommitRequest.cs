using Berth.Api.Wire;

namespace Berth.Images.Service;

/// <summary>
/// What <c>docker commit</c> makes an image from: the container's base image, its writable layer
/// (written as a tar by <see cref="WriteLayer"/>; null when the container changed nothing), the
/// configuration the new image gets, and what to call it. The builder also commits steps without a
/// container (COPY, ADD: <see cref="ContainerId"/> null) and on <c>scratch</c> (<see cref="BaseImageId"/> null).
/// </summary>
public sealed record ImageCommitRequest
{
    public required string? ContainerId { get; init; }
    public required string? BaseImageId { get; init; }
    /// <summary>The new image's configuration: the container's, with the commit's changes applied.</summary>
    public required ContainerConfig Config { get; init; }
    /// <summary>The container's own configuration, kept as <c>container_config</c>.</summary>
    public required ContainerConfig ContainerConfig { get; init; }
    public required Func<Stream, CancellationToken, Task>? WriteLayer { get; init; }
    public string? Author { get; init; }
    public string? Comment { get; init; }
    public string? Repository { get; init; }
    public string? Tag { get; init; }
}
