using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Streams;
using Berth.Runtime;
using Berth.Runtime.Conmon;
using Berth.Runtime.Oci;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    private readonly ConcurrentDictionary<string, ExecSession> execs = new();

    /// <summary>Creates an exec instance in a running container (<c>POST /containers/{id}/exec</c>) and returns its ID.</summary>
    public string CreateExec(string reference, ExecCreateRequest request)
    {
        if (request.Cmd is not { Count: > 0 }) throw BerthException.InvalidParameter("No exec command specified");
        var container = Get(reference);
        switch (container.Record.Status)
        {
            case ContainerStatus.Paused: throw BerthException.Conflict($"Container {reference} is paused, unpause the container before exec");
            case ContainerStatus.Restarting: throw BerthException.Conflict($"Container {reference} is restarting, wait until the container is running");
            case not ContainerStatus.Running: throw BerthException.Conflict($"Container {container.Id} is not running");
        }
        if (request.DetachKeys is { Length: > 0 } keys) DetachKeys.Parse(keys);
        var id = NewId();
        execs[id] = new ExecSession(id, container, request);
        return id;
    }

    public ExecSession GetExec(string id) =>
        execs.TryGetValue(id, out var session) ? session : throw BerthException.NotFound($"No such exec instance: {id}");

    public ExecInspect InspectExec(string id)
    {
        var session = GetExec(id);
        var cmd = session.Config.Cmd ?? [];
        return new ExecInspect
        {
            ID = session.Id,
            Running = session.Running,
            ExitCode = session.ExitCode,
            ProcessConfig = new ExecProcessConfig
            {
                Tty = session.Tty,
                Entrypoint = cmd.Count > 0 ? cmd[0] : "",
                Arguments = cmd.Skip(1).ToList(),
                Privileged = session.Config.Privileged,
                User = session.Config.User is { Length: > 0 } user ? user : null,
                WorkingDir = session.Config.WorkingDir is { Length: > 0 } dir ? dir : null,
            },
            OpenStdin = session.Config.AttachStdin,
            OpenStderr = session.Config.AttachStderr,
            OpenStdout = session.Config.AttachStdout,
            ContainerID = session.Container.Id,
            DetachKeys = session.DetachKeys,
            Pid = session.Pid,
        };
    }

    /// <summary>
    /// Runs an exec instance. With a <paramref name="client"/> stream its output goes there (and
    /// the client's input to it, when it attached stdin) until it ends; failures to start are
    /// written to the stream as dockerd does, with exit code 126. Without one (detached) it
    /// returns once the process runs, and failures are thrown.
    /// </summary>
    public Task StartExecAsync(string id, uint[]? consoleSize, Stream? client, CancellationToken ct)
    {
        var session = GetExec(id);
        return StartExecAsync(session, consoleSize, client is null ? null : new MultiplexedWriter(client, session.Tty), ct);
    }

    private async Task StartExecAsync(ExecSession session, uint[]? consoleSize, MultiplexedWriter? writer, CancellationToken ct)
    {
        try
        {
            lock (session)
            {
                if (session.Started) throw BerthException.Conflict($"Error: Exec command {session.Id} has already run");
                session.Started = true;
            }
            var container = session.Container;
            if (container.Record.Status == ContainerStatus.Paused)
                throw BerthException.Conflict($"Container {container.Id} is paused, unpause the container before exec");
            if (!container.IsRunning) throw BerthException.Conflict($"Container {container.Id} is not running");
            await RunExecAsync(session, consoleSize, writer, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BerthException or RuntimeException or ArgumentException)
        {
            var message = e is RuntimeException ? $"OCI runtime exec failed: {e.Message}: unknown" : e.Message;
            if (writer is null)
            {
                if (e is BerthException) throw;
                throw BerthException.System(message, e);
            }
            await writer.WriteAsync(OutputStream.Stdout, Encoding.UTF8.GetBytes(message + "\r\n"), ct).ConfigureAwait(false);
            await writer.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Resizes the TTY of a running exec session.</summary>
    public Task ResizeExecAsync(string id, uint height, uint width, CancellationToken ct)
    {
        var session = GetExec(id);
        if (!session.Running) throw BerthException.Conflict($"Exec {id} is not running");
        return WriteWindowSizeAsync(MonitorFiles.ControlFifo(session.Directory), height, width, ct);
    }

    private async Task RunExecAsync(ExecSession session, uint[]? consoleSize, MultiplexedWriter? writer, CancellationToken ct)
    {
        var container = session.Container;
        var config = session.Config;
        var directory = Path.Combine(settings.ExecRoot, session.Id);
        session.Directory = directory;
        Directory.CreateDirectory(directory);
        ExecProcess? process = null;
        Socket? socket = null;
        try
        {
            var specPath = Path.Combine(directory, "process.json");
            await WriteExecSpecAsync(container, config, consoleSize, specPath, ct).ConfigureAwait(false);
            var stdin = config.AttachStdin && writer is not null;
            process = await monitor.StartExecAsync(new ExecLaunch
            {
                ContainerId = container.Id,
                ExecId = session.Id,
                Directory = directory,
                ProcessSpecPath = specPath,
                Stdin = stdin,
                Tty = config.Tty,
            }, ct).ConfigureAwait(false);
            if (writer is not null) socket = Connect(process.AttachSocket);
            session.Pid = await process.RunAsync(ct).ConfigureAwait(false);
            session.Running = true;
            lock (container.ExecIds) container.ExecIds.Add(session.Id);
        }
        catch (Exception e) when (e is RuntimeException or ArgumentException or IOException or SocketException)
        {
            socket?.Dispose();
            if (process is not null) await process.DisposeAsync().ConfigureAwait(false);
            Images.Storage.Directories.DeleteTree(directory);
            session.ExitCode = 126;
            if (e is IOException or SocketException) throw new RuntimeException(e.Message);
            throw;
        }

        var ended = FinishExecAsync(session, process);
        if (writer is null || socket is null) return;
        var detached = false;
        try
        {
            var options = new AttachOptions(config.AttachStdin, config.AttachStdout, config.AttachStderr, Stream: true, Logs: false,
                DetachKeys.Parse(config.DetachKeys));
            detached = await PumpAsync(socket, config.AttachStdin, options, writer, writer.Output, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            logger.LogDebug("Exec {Id} stream ended: {Message}", session.Id, e.Message);
        }
        finally
        {
            socket.Dispose();
        }
        // The client asks for the exit code as soon as the output ends: have it ready, unless it detached.
        if (!detached && !ct.IsCancellationRequested) await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false);
    }

    private async Task FinishExecAsync(ExecSession session, ExecProcess process)
    {
        try
        {
            session.ExitCode = await process.WaitExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            logger.LogWarning("Exec {Id}: reading its exit failed: {Message}", session.Id, e.Message);
            session.ExitCode = -1;
        }
        finally
        {
            session.Running = false;
            lock (session.Container.ExecIds) session.Container.ExecIds.Remove(session.Id);
            await process.DisposeAsync().ConfigureAwait(false);
            Images.Storage.Directories.DeleteTree(session.Directory);
        }
    }

    private async Task WriteExecSpecAsync(Container container, ExecCreateRequest config, uint[]? consoleSize, string path, CancellationToken ct)
    {
        // Read from the bundle once per run (after a restart of berthd), not for every exec and health probe.
        if (container.Process is null)
        {
            await using var file = File.OpenRead(Path.Combine(container.RunDirectory, "config.json"));
            var spec = await JsonSerializer.DeserializeAsync(file, OciJson.Default.RuntimeSpec, ct).ConfigureAwait(false)
                       ?? throw new RuntimeException("the container's runtime spec is empty");
            container.Process = spec.Process;
        }
        var process = ExecProcessBuilder.Build(container.Process, new ExecProcessInput
        {
            Args = config.Cmd ?? [],
            Env = config.Env,
            WorkingDir = config.WorkingDir,
            User = config.User is { Length: > 0 } user ? UserResolver.Resolve(container.RootfsPath, user, container.Record.HostConfig.GroupAdd) : null,
            Tty = config.Tty,
            ConsoleSize = consoleSize is [> 0, > 0] ? consoleSize : config.ConsoleSize,
            Privileged = config.Privileged,
        });
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        await JsonSerializer.SerializeAsync(output, process, OciJson.Default.SpecProcess, ct).ConfigureAwait(false);
    }

    /// <summary>Forgets the exec instances of a removed container.</summary>
    private void ForgetExecs(Container container)
    {
        foreach (var (id, session) in execs)
            if (session.Container == container) execs.TryRemove(id, out _);
    }
}
