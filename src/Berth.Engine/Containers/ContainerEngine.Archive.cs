using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Images.Archive;
using Berth.Images.Native;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary><c>HEAD /containers/{id}/archive</c>: the stat of a path in the container, the last element not followed.</summary>
    public async Task<ContainerPathStat> StatPathAsync(string reference, string? path, CancellationToken ct)
    {
        RequirePath(path);
        var container = Get(reference);
        return await WithRootAsync(container, root => Task.FromResult(StatOrNotFound(container, root, path!, reference)), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /containers/{id}/archive</c>: a tar of the path whose top entry is named after the
    /// path's last element (<c>.</c> for <c>dir/.</c>, which the client takes as "the content of").
    /// <paramref name="begin"/> gets the stat once the path is known to exist and returns the stream to write to.
    /// </summary>
    public async Task GetArchiveAsync(string reference, string? path, Func<ContainerPathStat, Stream> begin, CancellationToken ct)
    {
        RequirePath(path);
        var container = Get(reference);
        await WithRootAsync(container, async root =>
        {
            var stat = StatOrNotFound(container, root, path!, reference);
            var absolute = GoPath.AbsoluteInContainer(path!);
            var source = GoPath.Clean(ResolveParent(container, root, absolute));
            var options = new TreeTarOptions { WholeSeconds = true, Substitutes = EngineFileMounts(container, root) };
            await DirectoryTarWriter.WriteTreeAsync(source, GoPath.Base(absolute), begin(stat), options, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /containers/{id}/archive</c>: extracts a tar (plain or compressed) into a directory
    /// of the container, the path followed through symlinks inside the root. Entries that would
    /// land outside the directory are refused, as dockerd's <c>Untar</c> refuses them.
    /// </summary>
    public async Task ExtractToDirectoryAsync(string reference, string? path, bool noOverwriteDirNonDir, bool copyUidGid, Stream content, CancellationToken ct)
    {
        RequirePath(path);
        var container = Get(reference);
        await WithRootAsync(container, async root =>
        {
            var absolute = GoPath.AbsoluteInContainer(path!);
            var mount = MountHolding(container, absolute);
            var target = ResolveInContainer(container, root, absolute, followLast: true);
            if (!Libc.TryLStat(target, out var st)) throw FileNotFound(path!, reference);
            if (!st.IsDirectory) throw BerthException.System("extraction point is not a directory");
            if (mount is { RW: false }) throw BerthException.System("mounted volume is marked read-only");
            if (mount is null && container.Record.HostConfig.ReadonlyRootfs) throw BerthException.System("container rootfs is marked read-only");
            var owner = copyUidGid ? UserResolver.Resolve(root, container.Record.Config.User, null) : null;
            var options = new ExtractOptions
            {
                ApplyWhiteouts = false,
                ApplyRootEntry = false,
                NoOverwriteDirNonDir = noOverwriteDirNonDir,
                Owner = owner is null ? null : ((int)owner.Uid, (int)owner.Gid),
                DestinationName = mount is not null ? GoPath.Clean(absolute) : Path.GetRelativePath(root, target) is var relative && relative == "." ? "/" : "/" + relative,
                MountPoints = EngineFileMounts(container, root).Keys.ToHashSet(StringComparer.Ordinal),
            };
            try
            {
                await using var tar = await Decompression.OpenAsync(content, ct).ConfigureAwait(false);
                await new LayerApplier(target, images.Snapshots.WhiteoutMode, options).ApplyAsync(tar, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LayerFormatException or IOException)
            {
                // As dockerd's extraction, which runs chrooted: the message names paths inside the container.
                var reason = e.InnerException is EndOfStreamException ? "unexpected EOF"
                    : e.Message.Replace("Error processing tar file: ", "", StringComparison.Ordinal).Replace(root, "", StringComparison.Ordinal);
                throw BerthException.System($"Error processing tar file(exit status 1): {reason}", e);
            }
            return true;
        }, ct).ConfigureAwait(false);
    }

    private static void RequirePath(string? path)
    {
        if (string.IsNullOrEmpty(path)) throw BerthException.InvalidParameter("bad parameter: pathcannot be empty");
    }

    private static BerthException FileNotFound(string path, string reference) =>
        BerthException.NotFound($"Could not find the file {path} in container {reference}");

    /// <summary>The host path of a container path with its directory resolved inside the root (or the mount holding it) and its last element kept as given.</summary>
    private string ResolveParent(Container container, string root, string absolute)
    {
        if (MountHolding(container, absolute) is { } mount && GoPath.Clean(absolute) == mount.Destination) return MountSource(mount);
        var (directory, file) = GoPath.Split(absolute);
        return ResolveInContainer(container, root, directory, followLast: true).TrimEnd('/') + "/" + file;
    }

    /// <summary>
    /// A container path on the host: under a bind or volume mount it is the mount's source (as
    /// dockerd mounts volumes for archive operations), else a path in the root; symlinks are
    /// followed without leaving whichever of the two holds the path.
    /// </summary>
    private string ResolveInContainer(Container container, string root, string absolute, bool followLast)
    {
        if (MountHolding(container, absolute) is not { } mount) return RootedPath.Resolve(root, absolute, followLast);
        var rest = GoPath.Clean(absolute)[mount.Destination.Length..].TrimStart('/');
        var source = MountSource(mount);
        return rest.Length == 0 ? source : RootedPath.Resolve(source, rest, followLast);
    }

    /// <summary>The deepest bind or volume mount at or above a container path; tmpfs mounts live only inside the container.</summary>
    private static MountPointRecord? MountHolding(Container container, string absolute)
    {
        var clean = GoPath.Clean(absolute);
        return container.Record.MountPoints
            .Where(p => p.Type != "tmpfs" && (clean == p.Destination || clean.StartsWith(p.Destination.TrimEnd('/') + "/", StringComparison.Ordinal)))
            .MaxBy(p => p.Destination.Length);
    }

    private string MountSource(MountPointRecord mount) => mount.Type == "volume" ? VolumePath(mount.Name) : mount.Source;

    /// <summary>dockerd's <c>StatPath</c>: a symlink's target is given fully resolved, as an absolute path in the container.</summary>
    private ContainerPathStat StatOrNotFound(Container container, string root, string path, string reference)
    {
        var absolute = GoPath.AbsoluteInContainer(path);
        var resolved = ResolveParent(container, root, absolute);
        var source = EngineFileMounts(container, root).GetValueOrDefault(GoPath.Clean(resolved)) ?? resolved;
        if (!Libc.TryLStat(source, out var st)) throw FileNotFound(path, reference);
        var linkTarget = "";
        if (st.IsSymlink)
        {
            var relative = Path.GetRelativePath(root, RootedPath.Resolve(root, absolute, followLast: true));
            linkTarget = relative == "." ? "/" : "/" + relative;
        }
        return new ContainerPathStat
        {
            Name = GoPath.Base(absolute),
            Size = (long)st.Size,
            Mode = GoFileMode.FromUnix(st.Mode),
            Mtime = GoTime.FormatUnix(st.ModifySeconds, st.ModifyNanos),
            LinkTarget = linkTarget,
        };
    }
}
