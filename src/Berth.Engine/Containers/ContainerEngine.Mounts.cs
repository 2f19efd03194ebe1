using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Storage;
using Berth.Runtime.Oci;
using Berth.Volumes.Mounts;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// At create: every mount the container asks for — <c>-v</c>, <c>--mount</c>, <c>--tmpfs</c>,
    /// <c>--volumes-from</c>, and the VOLUMEs of its configuration — checked as dockerd checks them,
    /// then the volumes they name created (anonymous ones with random names).
    /// </summary>
    private void ResolveMounts(ContainerRecord record)
    {
        var host = record.HostConfig;
        var requests = new List<MountRequest>();
        foreach (var bind in host.Binds ?? []) requests.Add(ParseBind(bind, host.VolumeDriver));
        foreach (var mount in host.Mounts ?? []) requests.Add(MountParser.ParseMount(mount));
        foreach (var (target, options) in host.Tmpfs ?? []) requests.Add(MountParser.ParseTmpfs(target, options));
        foreach (var request in requests.Where(r => r.Kind == MountKind.Bind && !r.FromBinds)) MountParser.CheckBindSourceExists(request);
        MountParser.CheckDuplicates(requests);

        var inherited = new List<MountPointRecord>();
        foreach (var spec in host.VolumesFrom ?? [])
        {
            var from = MountParser.ParseVolumesFrom(spec);
            // 400, as dockerd: a 404 would make the CLI try to pull the image.
            var other = store.TryGet(from.Container) ?? throw BerthException.InvalidParameter($"No such container: {from.Container}");
            foreach (var point in other.Record.MountPoints.Where(p => p.Type != "tmpfs"))
            {
                if (requests.Any(r => r.Target == point.Destination) || inherited.Any(p => p.Destination == point.Destination)) continue;
                // Anonymous volumes shared this way belong to the first container: removing this one keeps them.
                // As dockerd: read-write only where both the original and the request say so; the mode is not copied.
                inherited.Add(point with { Anonymous = false, RW = point.RW && !from.ReadOnly, Mode = "" });
            }
        }

        var points = new List<MountPointRecord>();
        try
        {
            foreach (var request in requests) points.Add(PointFor(request));
            points.AddRange(inherited);
            var taken = requests.Concat(inherited.Select(p => new MountRequest { Kind = MountKind.Bind, Target = p.Destination }));
            foreach (var request in MountParser.ParseConfigVolumes((record.Config.Volumes ?? []).Keys.Order(StringComparer.Ordinal), taken, host.VolumeDriver))
                points.Add(PointFor(request, fromConfig: true));
        }
        catch
        {
            volumes.RemoveAnonymous(points.Where(p => p.Anonymous).Select(p => p.Name));
            throw;
        }
        record.MountPoints = points;
    }

    /// <summary>A <c>-v</c> string; dockerd answers a malformed one with 500 where <c>--mount</c>'s problems are 400.</summary>
    private static MountRequest ParseBind(string bind, string volumeDriver)
    {
        try
        {
            return MountParser.ParseBind(bind, volumeDriver);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidParameter && !e.Message.Contains("local volume name", StringComparison.Ordinal))
        {
            throw BerthException.System(e.Message, e);
        }
    }

    private MountPointRecord PointFor(MountRequest request, bool fromConfig = false)
    {
        // As dockerd's setBindModeIfNull: a named -v volume and every --mount volume without a mode show "z"; -v /path and VOLUME show none.
        var anonymousByPath = request.Source.Length == 0 && (request.FromBinds || fromConfig);
        switch (request.Kind)
        {
            case MountKind.Bind:
                return new MountPointRecord
                {
                    Type = "bind", Source = request.Source, Destination = request.Target, Mode = request.Mode, RW = !request.ReadOnly,
                    Propagation = request.Propagation.Length > 0 ? request.Propagation : "rprivate", CreateSource = request.FromBinds, NonRecursive = request.NonRecursive,
                };
            case MountKind.Volume:
                var volume = volumes.Ensure(request.Source, request.VolumeDriver, request.VolumeOptions, request.VolumeLabels);
                return new MountPointRecord
                {
                    Type = "volume", Name = volume.Name, Destination = request.Target, Driver = volume.Driver, Mode = request.Mode.Length > 0 || anonymousByPath ? request.Mode : "z",
                    RW = !request.ReadOnly, NoCopy = request.NoCopy, Anonymous = request.Source.Length == 0,
                };
            default:
                return new MountPointRecord
                {
                    Type = "tmpfs", Destination = request.Target, RW = !request.ReadOnly, TmpfsOptions = request.TmpfsOptions, Hidden = request.FromTmpfs,
                };
        }
    }

    /// <summary>
    /// At start: each mount's source — a bind's host path (created for <c>-v</c>), a volume's data
    /// directory (mounted when the volume has a device) — as runtime mounts. Targets are created by runc inside the root, never through a symlink out of it.
    /// </summary>
    private List<SpecMount> PrepareMounts(Container container)
    {
        var mounts = new List<SpecMount>();
        var acquired = new List<string>();
        try
        {
            foreach (var point in container.Record.MountPoints)
            {
                switch (point.Type)
                {
                    case "bind":
                        if (!Path.Exists(point.Source))
                        {
                            if (!point.CreateSource) throw BerthException.InvalidParameter($"invalid mount config for type \"bind\": bind source path does not exist: {point.Source}");
                            Directory.CreateDirectory(point.Source);
                        }
                        mounts.Add(new SpecMount { Destination = point.Destination, Type = "bind", Source = point.Source, Options = [point.NonRecursive ? "bind" : "rbind", point.RW ? "rw" : "ro", point.Propagation.Length > 0 ? point.Propagation : "rprivate"] });
                        break;
                    case "volume":
                        var data = volumes.Acquire(point.Name);
                        acquired.Add(point.Name);
                        mounts.Add(new SpecMount { Destination = point.Destination, Type = "bind", Source = data, Options = ["rbind", point.RW ? "rw" : "ro", "rprivate"] });
                        break;
                    default:
                        var options = TmpfsOptionMerge.Merge(point.RW ? point.TmpfsOptions : "ro," + point.TmpfsOptions).ToList();
                        mounts.Add(new SpecMount { Destination = point.Destination, Type = "tmpfs", Source = "tmpfs", Options = options });
                        break;
                }
            }
        }
        catch
        {
            foreach (var name in acquired) volumes.Release(name);
            throw;
        }
        return mounts;
    }

    /// <summary>
    /// At create, as dockerd: the image's files at each volume's target go into the volume while it
    /// is still empty, owners, modes and links kept. A volume with data, one with driver options
    /// (tmpfs, a device) and a <c>nocopy</c> mount are left alone.
    /// </summary>
    private async Task CopyUpAsync(Container container, CancellationToken ct)
    {
        var candidates = container.Record.MountPoints
            .Where(p => p.Type == "volume" && !p.NoCopy && volumes.TryGet(p.Name) is { NeedsMount: false })
            .ToList();
        if (candidates.Count == 0) return;
        await WithRootAsync(container, root =>
        {
            foreach (var point in candidates) CopyUp(root, point.Destination, VolumePath(point.Name));
            return Task.FromResult(true);
        }, ct).ConfigureAwait(false);
    }

    private static void CopyUp(string rootfs, string target, string data)
    {
        if (Directory.EnumerateFileSystemEntries(data).Any()) return;
        var source = RootedPath.Resolve(rootfs, target.TrimStart('/'), followLast: true);
        if (!Directory.Exists(source) || !Directory.EnumerateFileSystemEntries(source).Any()) return;
        TreeCopier.Copy(source, data);
    }

    /// <summary>The run ended: volumes mounted for it are let go.</summary>
    private void ReleaseMounts(ContainerRecord record)
    {
        foreach (var point in record.MountPoints.Where(p => p.Type == "volume")) volumes.Release(point.Name);
    }

    /// <summary>inspect's <c>Mounts</c>.</summary>
    private List<Api.Wire.Containers.MountPoint> MountsOf(ContainerRecord record) => record.MountPoints.Where(p => !p.Hidden).Select(p => new Api.Wire.Containers.MountPoint
    {
        Type = p.Type,
        Name = p.Type == "volume" ? p.Name : null,
        Source = p.Type == "volume" ? volumes.TryGet(p.Name) is { } ? volumes.DataPath(p.Name) : "" : p.Source,
        Destination = p.Destination,
        Driver = p.Type == "volume" ? p.Driver : null,
        Mode = p.Mode,
        RW = p.RW,
        Propagation = p.Type == "bind" ? p.Propagation : "",
    }).ToList();

    private string VolumePath(string name) => volumes.DataPath(name);
}
