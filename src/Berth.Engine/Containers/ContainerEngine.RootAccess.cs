using Berth.Api.Errors;
using Berth.Images.Native;
using Berth.Images.Snapshots;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// Runs <paramref name="operation"/> on a container's merged root filesystem (its host path),
    /// with the container locked throughout, so it can neither start nor have its root unmounted
    /// by its exit meanwhile. A running container's mount is used; a stopped container's
    /// snapshot is mounted at the same place for the duration, where a start would also find it.
    /// </summary>
    private async Task<T> WithRootAsync<T>(Container container, Func<string, Task<T>> operation, CancellationToken ct)
    {
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (store.TryGet(container.Id) is null || container.Record.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw BerthException.NotFound($"No such container: {container.Id}");
            var root = container.RootfsPath;
            if (Directory.Exists(root) && Libc.IsMountPoint(root)) return await operation(root).ConfigureAwait(false);

            var createdRunDirectory = !Directory.Exists(container.RunDirectory);
            Directory.CreateDirectory(root);
            await Mounter.MountAsync(images.Snapshots.Mounts(SnapshotKey(container.Id)), root, ct).ConfigureAwait(false);
            try
            {
                return await operation(root).ConfigureAwait(false);
            }
            finally
            {
                Mounter.Unmount(root);
                // Non-recursive on purpose: nothing but an empty mount point may be removed here.
                Directory.Delete(root);
                if (createdRunDirectory) Directory.Delete(container.RunDirectory);
            }
        }
        finally
        {
            container.Lock.Release();
        }
    }

    /// <summary>
    /// The engine's files that are bind-mounted over the root inside the container, by the host
    /// path they cover: reading or writing those paths means the engine's file, as in dockerd,
    /// which mounts them on the root for every archive operation.
    /// </summary>
    private static Dictionary<string, string> EngineFileMounts(Container container, string root) => new(StringComparer.Ordinal)
    {
        [root + "/etc/hostname"] = EngineFiles.HostnamePath(container),
        [root + "/etc/hosts"] = EngineFiles.HostsPath(container),
        [root + "/etc/resolv.conf"] = EngineFiles.ResolvConfPath(container),
    };
}
