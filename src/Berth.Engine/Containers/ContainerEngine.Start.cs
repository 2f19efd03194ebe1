using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Snapshots;
using Berth.Runtime;
using Berth.Runtime.Conmon;
using Berth.Runtime.Oci;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Starts a container; false (dockerd's 304) when it is running already.</summary>
    public async Task<bool> StartAsync(string reference, CancellationToken ct)
    {
        var container = Get(reference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        var failed = false;
        try
        {
            switch (container.Record.Status)
            {
                case ContainerStatus.Paused: throw BerthException.Conflict("cannot start a paused container, try unpause instead");
                case ContainerStatus.Running: return false;
                case ContainerStatus.Removing or ContainerStatus.Dead:
                    throw BerthException.Conflict("container is marked for removal and cannot be started");
            }
            // As dockerd: a start by the user forgets an earlier stop and the restart policy's count.
            container.Record.ManuallyStopped = false;
            container.Record.RestartCount = 0;
            container.RestartCanceled = false;
            failed = true;
            await StartLockedAsync(container, ct).ConfigureAwait(false);
            failed = false;
            return true;
        }
        finally
        {
            container.Lock.Release();
            // A --rm container whose start failed goes, as in dockerd (its client waits for the removal).
            if (failed && container.Record.HostConfig.AutoRemove) await RemoveAfterFailedStartAsync(container).ConfigureAwait(false);
        }
    }

    private async Task RemoveAfterFailedStartAsync(Container container)
    {
        try
        {
            await RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            logger.LogWarning("Removing container {Id} after its failed start failed: {Message}", container.Id, e.Message);
        }
    }

    /// <summary>Mounts the root, writes the bundle, has conmon create the container, connects waiting attachers, then starts it.</summary>
    private async Task StartLockedAsync(Container container, CancellationToken ct)
    {
        var record = container.Record;
        var bundle = container.RunDirectory;
        NetworkPlan? network = null;
        var mountsHeld = false;
        try
        {
            Directory.CreateDirectory(bundle);
            Directory.CreateDirectory(container.RootfsPath);
            if (!Images.Native.Libc.IsMountPoint(container.RootfsPath))
                await Mounter.MountAsync(images.Snapshots.Mounts(SnapshotKey(container.Id)), container.RootfsPath, ct).ConfigureAwait(false);
            network = PlanNetwork(container);
            var userMounts = PrepareMounts(container);
            mountsHeld = true;
            var spec = SpecBuilder.Build(SpecInputFor(container, network) with { UserMounts = userMounts });
            container.Process = spec.Process;
            await using (var file = new FileStream(Path.Combine(bundle, "config.json"), FileMode.Create, FileAccess.Write, FileShare.None, 1))
                await JsonSerializer.SerializeAsync(file, spec, OciJson.Default.RuntimeSpec, ct).ConfigureAwait(false);

            monitor.ForgetExit(container.Id);
            var (pid, monitorPid) = await monitor.CreateAsync(new MonitorLaunch
            {
                ContainerId = container.Id,
                Name = record.Name.TrimStart('/'),
                BundleDirectory = bundle,
                LogPath = container.LogPath,
                Stdin = record.Config.OpenStdin,
                Tty = record.Config.Tty,
                // As dockerd: StdinOnce closes stdin when the first client leaves, but not with a TTY.
                LeaveStdinOpen = record.Config.OpenStdin && (!record.Config.StdinOnce || record.Config.Tty),
            }, ct).ConfigureAwait(false);
            record.Pid = pid;
            record.MonitorPid = monitorPid;
            if (network.Sandbox is { } sandbox) await networks.ActivateAsync(sandbox, pid).ConfigureAwait(false);
            ConnectWaitingAttachers(container);
            TrackInit(container, pid);
            await monitor.Runc.StartAsync(container.Id, pid, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RuntimeException or ArgumentException or IOException or BerthException or System.Net.Sockets.SocketException)
        {
            ReleaseInit(container);
            await CleanupRuntimeAsync(container).ConfigureAwait(false);
            if (network?.Sandbox is not null) ReleaseNetwork(record);
            if (mountsHeld) ReleaseMounts(record);
            record.Pid = 0;
            record.MonitorPid = 0;
            record.Error = StartError(e);
            record.ExitCode = e.Message.Contains("executable file not found", StringComparison.Ordinal) || e.Message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
                : e.Message.Contains("permission denied", StringComparison.Ordinal) ? 126 : 128;
            store.Save(container);
            FailWaitingAttachers(container);
            // As dockerd: what the OCI runtime refuses is the request's fault (400); a spec that cannot be made (user, devices, init) is 500.
            throw e switch
            {
                RuntimeException => BerthException.InvalidParameter(record.Error),
                BerthException b => b,
                _ => BerthException.System(record.Error, e),
            };
        }

        record.Status = ContainerStatus.Running;
        record.StartedAt = DateTime.UtcNow;
        record.HasBeenStarted = true;
        record.ExitCode = 0;
        record.Error = "";
        record.OomKilled = false;
        StartHealthMonitor(container);
        store.Save(container);
        var monitorPidNow = record.MonitorPid;
        exits.Watch(monitorPidNow, () => _ = OnMonitorExitAsync(container, monitorPidNow));
    }

    private static string StartError(Exception e) => e switch
    {
        RuntimeException r => $"failed to create shim task: OCI runtime create failed: {r.Message}: unknown",
        _ => e.Message,
    };

    private SpecInput SpecInputFor(Container container, NetworkPlan network)
    {
        var record = container.Record;
        var config = record.Config;
        var user = UserResolver.Resolve(container.RootfsPath, config.User, record.HostConfig.GroupAdd);
        var env = new List<string> { "PATH=" + DefaultPath, "HOSTNAME=" + config.Hostname };
        if (config.Tty) env.Add("TERM=xterm");
        foreach (var e in config.Env ?? [])
        {
            var key = e.Split('=', 2)[0];
            var index = env.FindIndex(x => x.Split('=', 2)[0] == key);
            if (index >= 0) env[index] = e;
            else env.Add(e);
        }
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + (user.Home.Length > 0 ? user.Home : "/"));
        foreach (var e in network.LinkEnv)
            if (!env.Any(x => x.Split('=', 2)[0] == e.Split('=', 2)[0])) env.Add(e);
        var files = network.SharedWith ?? container;
        return new SpecInput
        {
            ContainerId = container.Id,
            RootfsPath = container.RootfsPath,
            Args = [record.Path, .. record.Args],
            Env = env,
            WorkingDir = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir,
            User = user,
            Hostname = config.Hostname,
            Domainname = config.Domainname,
            Tty = config.Tty,
            ConsoleSize = record.HostConfig.ConsoleSize,
            HostConfig = record.HostConfig,
            NetworkNamespace = network.NamespacePath,
            EngineFiles = new Dictionary<string, string>
            {
                ["/etc/hostname"] = EngineFiles.HostnamePath(container),
                ["/etc/hosts"] = EngineFiles.HostsPath(files),
                ["/etc/resolv.conf"] = EngineFiles.ResolvConfPath(files),
            },
            CgroupsPath = CgroupPath(record),
            InitPath = WantsInit(record.HostConfig) ? InitBinary() : null,
        };
    }

    /// <summary>The container's own <c>--init</c> choice, else the daemon's default (daemon.json <c>init</c>), as dockerd decides it; only with a private PID namespace.</summary>
    private bool WantsInit(Api.Wire.Containers.HostConfig host) =>
        (host.Init ?? settings.InitByDefault) && host.PidMode != "host" && !host.PidMode.StartsWith("container:", StringComparison.Ordinal);

    /// <summary>The static init to mount at /sbin/docker-init; a clear start error when there is none.</summary>
    private string InitBinary()
    {
        if (settings.InitPath is null)
            throw BerthException.System("--init needs a static init binary and none is installed: exec: \"docker-init\": executable file not found in $PATH (Debian's tini package installs /usr/bin/tini-static)");
        if (!File.Exists(settings.InitPath))
            throw BerthException.System($"--init needs a static init binary at {settings.InitPath}: no such file or directory");
        return settings.InitPath;
    }

    private string CgroupPath(ContainerRecord record)
    {
        var parent = string.IsNullOrEmpty(record.HostConfig.CgroupParent) ? settings.CgroupParent : record.HostConfig.CgroupParent;
        return "/" + parent.Trim('/') + "/" + record.Id;
    }
}
