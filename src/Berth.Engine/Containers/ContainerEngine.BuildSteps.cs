using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Api.Wire;
using Berth.Api.Wire.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Streams;
using Berth.Images.Archive;
using Berth.Images.Service;

namespace Berth.Engine.Containers;

/// <summary>The container operations the classic builder's steps need (dockerd's builder backend).</summary>
public sealed partial class ContainerEngine
{
    /// <summary>Creates the container of one build step from <paramref name="config"/> (which names the image) without starting it.</summary>
    public async Task<string> CreateBuildContainerAsync(ContainerConfig config, HostConfig host, CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, WireJson.Default.ContainerConfig), WireJson.Default.ContainerCreateRequest)!;
        request.HostConfig = host;
        var created = await CreateAsync(request, name: null, ct).ConfigureAwait(false);
        return created.Id;
    }

    /// <summary>
    /// Runs a build step's container to its end, handing its output to <paramref name="output"/> as it
    /// arrives, and returns its exit code. The attach is registered before the start, so nothing is lost.
    /// </summary>
    public async Task<int> RunBuildContainerAsync(string id, Func<OutputStream, ReadOnlyMemory<byte>, CancellationToken, Task> output, CancellationToken ct)
    {
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new DemultiplexingStream(output);
        var attach = AttachAsync(id, new AttachOptions(Stdin: false, Stdout: true, Stderr: true, Stream: true, Logs: false, DetachKeys.Default), () =>
        {
            attached.TrySetResult();
            return Task.FromResult<Stream>(sink);
        }, ct);
        await Task.WhenAny(attached.Task, attach).ConfigureAwait(false);
        await attached.Task.ConfigureAwait(false);
        var exit = WaitAsync(id, WaitCondition.NextExit, ct);
        try
        {
            await StartAsync(id, ct).ConfigureAwait(false);
            var code = (await exit.ConfigureAwait(false)).StatusCode;
            await attach.ConfigureAwait(false);
            return (int)code;
        }
        catch (OperationCanceledException)
        {
            // The client went away: as dockerd, the step's command does not run on.
            if (Get(id).IsRunning) await KillAsync(id, "KILL", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// dockerd's <c>CommitBuildStep</c>: the step's container becomes an image whose configuration is
    /// <paramref name="config"/> exactly (no merge with the container's), with
    /// <paramref name="containerConfig"/> (the step's cache key) as <c>container_config</c>.
    /// </summary>
    public async Task<string> CommitBuildStepAsync(string id, ContainerConfig config, ContainerConfig containerConfig, string? author, ImageService imageService, CancellationToken ct)
    {
        var container = Get(id);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var image = await imageService.CommitAsync(new ImageCommitRequest
            {
                ContainerId = container.Id,
                BaseImageId = container.Record.ImageId,
                Config = config,
                ContainerConfig = containerConfig,
                WriteLayer = WritableLayerWriter(container.Id),
                Author = author,
            }, ct).ConfigureAwait(false);
            return image.ToString();
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>WORKDIR: the directory made (as root, 0755, missing parents too) in the step's container, symlinks resolved inside its root.</summary>
    public async Task CreateWorkdirAsync(string id, string path, CancellationToken ct)
    {
        var container = Get(id);
        await WithRootAsync(container, root =>
        {
            var target = RootedPath.Resolve(root, path.TrimStart('/'), followLast: true);
            if (!Directory.Exists(target))
            {
                if (File.Exists(target)) throw BerthException.InvalidParameter($"mkdir {path}: not a directory");
                Directory.CreateDirectory(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            return Task.FromResult(true);
        }, ct).ConfigureAwait(false);
    }
}
