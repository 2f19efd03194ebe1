using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire.Containers;
using Berth.Engine.Logs;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    public async Task<ContainerInspect> InspectAsync(string reference, bool size, CancellationToken ct)
    {
        var container = Get(reference);
        var r = container.Record;
        var inspect = new ContainerInspect
        {
            Id = r.Id,
            Created = GoTime.Format(new DateTimeOffset(r.Created)),
            Path = r.Path,
            Args = r.Args,
            State = StateOf(r),
            Image = r.ImageId,
            ResolvConfPath = EngineFiles.ResolvConfPath(container),
            HostnamePath = EngineFiles.HostnamePath(container),
            HostsPath = EngineFiles.HostsPath(container),
            LogPath = container.LogPath,
            Name = r.Name,
            RestartCount = r.RestartCount,
            Driver = r.Driver,
            Platform = r.Platform,
            ExecIDs = container.ExecIds.Count > 0 ? [.. container.ExecIds] : null,
            HostConfig = r.HostConfig,
            GraphDriver = new GraphDriver { Name = r.Driver, Data = images.Snapshots.DriverData(SnapshotKey(r.Id)) },
            Config = r.Config,
            NetworkSettings = NetworkSettingsOf(r),
            Mounts = MountsOf(r),
        };
        if (size) (inspect.SizeRw, inspect.SizeRootFs) = await SizesAsync(r, ct).ConfigureAwait(false);
        return inspect;
    }

    private static ContainerState StateOf(ContainerRecord r) => new()
    {
        Status = StatusName(r.Status),
        Running = r.Status is ContainerStatus.Running or ContainerStatus.Paused,
        Paused = r.Status == ContainerStatus.Paused,
        Restarting = r.Status == ContainerStatus.Restarting,
        OOMKilled = r.OomKilled,
        Dead = r.Status == ContainerStatus.Dead,
        Pid = r.Pid,
        ExitCode = r.ExitCode,
        Error = r.Error,
        StartedAt = r.StartedAt == default ? "0001-01-01T00:00:00Z" : GoTime.Format(new DateTimeOffset(r.StartedAt)),
        FinishedAt = r.FinishedAt == default ? "0001-01-01T00:00:00Z" : GoTime.Format(new DateTimeOffset(r.FinishedAt)),
        Health = r.Health,
    };

    public static string StatusName(ContainerStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>inspect's <c>NetworkSettings</c>: every network with its endpoint, and the default bridge's endpoint repeated at the top, as dockerd fills it.</summary>
    private static NetworkSettings NetworkSettingsOf(ContainerRecord r)
    {
        var running = r.Status is ContainerStatus.Running or ContainerStatus.Paused;
        var settings = new NetworkSettings
        {
            SandboxID = running && r.Pid > 0 ? r.Id[32..] + r.Id[..32] : "",
            SandboxKey = running && r.Pid > 0 ? $"/proc/{r.Pid}/ns/net" : "",
            Ports = r.Ports ?? [],
        };
        foreach (var (name, endpoint) in r.Networks) settings.Networks[name] = endpoint;
        if (r.Networks.GetValueOrDefault("bridge") is { } bridge && OnDefaultBridge(r))
        {
            settings.EndpointID = bridge.EndpointID;
            settings.Gateway = bridge.Gateway;
            settings.IPAddress = bridge.IPAddress;
            settings.IPPrefixLen = bridge.IPPrefixLen;
            settings.MacAddress = bridge.MacAddress;
        }
        return settings;
    }

    /// <summary><c>docker ps</c>'s ports: each binding, and exposed ports without one.</summary>
    private static List<PortSummary> PortSummaries(ContainerRecord r)
    {
        var rows = new List<PortSummary>();
        var ports = r.Ports ?? (r.Config.ExposedPorts ?? []).Keys.ToDictionary(k => k, List<PortBinding>? (_) => null);
        foreach (var (key, bindings) in ports)
        {
            var (port, type) = ParsePortKey(key);
            if (bindings is not { Count: > 0 }) rows.Add(new PortSummary { PrivatePort = port, Type = type });
            else
                foreach (var b in bindings)
                    rows.Add(new PortSummary { IP = b.HostIp, PrivatePort = port, PublicPort = int.Parse(b.HostPort, System.Globalization.CultureInfo.InvariantCulture), Type = type });
        }
        return rows;
    }

    private async Task<(long Rw, long RootFs)> SizesAsync(ContainerRecord r, CancellationToken ct)
    {
        var rw = await images.Snapshots.UsageAsync(SnapshotKey(r.Id), ct).ConfigureAwait(false);
        var image = images.Get(Images.Digests.Digest.Parse(r.ImageId));
        return (rw, rw + (image is null ? 0 : images.Size(image)));
    }

    /// <summary>The rows of <c>docker ps</c>: newest first, filtered, limited.</summary>
    public async Task<List<ContainerSummary>> ListAsync(bool all, int limit, bool size, FilterArgs filters, DateTime now, CancellationToken ct)
    {
        var filter = ContainerFilter.Create(filters, store);
        var rows = new List<ContainerSummary>();
        foreach (var container in store.All.Where(c => !c.Record.Creating).OrderByDescending(c => c.Record.Created))
        {
            var r = container.Record;
            if (!all && limit <= 0 && !filter.HasStatusFilter && r.Status is not (ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)) continue;
            if (!filter.Matches(container, images)) continue;
            var summary = new ContainerSummary
            {
                Id = r.Id,
                Names = [r.Name],
                Image = string.IsNullOrEmpty(r.Config.Image) ? r.ImageId : r.Config.Image,
                ImageID = r.ImageId,
                Command = CommandLine(r),
                Created = new DateTimeOffset(r.Created).ToUnixTimeSeconds(),
                Ports = PortSummaries(r),
                Mounts = MountsOf(r),
                Labels = r.Config.Labels ?? [],
                State = StatusName(r.Status),
                Status = StatusText(r, now),
                HostConfig = new SummaryHostConfig { NetworkMode = r.HostConfig.NetworkMode },
                NetworkSettings = new SummaryNetworkSettings { Networks = NetworkSettingsOf(r).Networks },
            };
            rows.Add(summary);
        }
        var (before, since) = filter.Window;
        if (before is not null) rows = rows.SkipWhile(s => s.Id != before).Skip(1).ToList();
        if (since is not null) rows = rows.TakeWhile(s => s.Id != since).ToList();
        if (limit > 0) rows = rows.Take(limit).ToList();
        // Sizes walk the writable layers: only for the rows that are sent.
        if (size)
            foreach (var row in rows)
                (row.SizeRw, row.SizeRootFs) = await SizesAsync(store.Get(row.Id).Record, ct).ConfigureAwait(false);
        return rows;
    }

    private static string CommandLine(ContainerRecord r)
    {
        var parts = new List<string> { r.Path };
        parts.AddRange(r.Args);
        return string.Join(' ', parts);
    }

    /// <summary>dockerd's STATUS column: "Up 3 minutes (Paused)", "Exited (1) 2 hours ago", "Created".</summary>
    public static string StatusText(ContainerRecord r, DateTime now) => r.Status switch
    {
        ContainerStatus.Running => "Up " + HumanDuration.Format(now - r.StartedAt) + HealthSuffix(r),
        ContainerStatus.Paused => "Up " + HumanDuration.Format(now - r.StartedAt) + " (Paused)",
        ContainerStatus.Restarting => $"Restarting ({r.ExitCode}) {HumanDuration.Format(now - r.FinishedAt)} ago",
        ContainerStatus.Removing => "Removal In Progress",
        ContainerStatus.Dead => "Dead",
        _ when r.FinishedAt == default => "Created",
        _ => $"Exited ({r.ExitCode}) {HumanDuration.Format(now - r.FinishedAt)} ago",
    };

    private static string HealthSuffix(ContainerRecord r) => r.Health?.Status switch
    {
        Health.HealthRecorder.Starting => " (health: starting)",
        { Length: > 0 } status => $" ({status})",
        _ => "",
    };

    /// <summary>The health filter's value for a container: its health status while it runs with a check, else "none".</summary>
    public static string HealthFilterValue(ContainerRecord r) =>
        r.Status == ContainerStatus.Running && r.Health is { Status.Length: > 0 } health ? health.Status : "none";

    /// <summary>The container's log as <c>docker logs</c> asked for it.</summary>
    public IAsyncEnumerable<LogEntry> LogsAsync(string reference, LogReadOptions options, CancellationToken ct)
    {
        var container = Get(reference);
        return LogReader.ReadAsync(container.LogPath, options, () => container.IsRunning, () => container.NextExit, ct);
    }

    public bool IsTty(string reference) => Get(reference).Record.Config.Tty;

    public async Task RenameAsync(string reference, string newName, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(newName)) throw BerthException.InvalidParameter("Neither old nor new names may be empty");
        var container = Get(reference);
        var name = ContainerNames.Normalize(newName);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (container.Name == name) throw BerthException.Conflict("Renaming a container with the same name as its current name");
            store.Rename(container, name);
            store.Save(container, durable: true);
        }
        finally
        {
            container.Lock.Release();
        }
    }
}
