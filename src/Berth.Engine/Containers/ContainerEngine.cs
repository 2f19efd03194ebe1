using Berth.Engine.Info;
using Berth.Images.Store;
using Berth.Network.Service;
using Berth.Volumes.Service;
using Berth.Runtime;
using Berth.Runtime.Conmon;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// The container lifecycle: create, start, stop, kill, remove, wait, attach, logs and their
/// queries, with conmon and runc below and the image store's snapshots as root filesystems.
/// Each operation lives in its own file of this partial class.
/// </summary>
public sealed partial class ContainerEngine : IDisposable
{
    private readonly ContainerStore store;
    private readonly ImageStore images;
    private readonly ConmonDriver monitor;
    private readonly ExitWatcher exits = new();
    private readonly ContainerSettings settings;
    private readonly NetworkService networks;
    private readonly VolumeService volumes;
    private readonly ILogger logger;

    private ContainerEngine(ContainerStore store, ImageStore images, ConmonDriver monitor, NetworkService networks, VolumeService volumes, ContainerSettings settings, ILogger logger)
    {
        this.volumes = volumes;
        this.store = store;
        this.networks = networks;
        this.images = images;
        this.monitor = monitor;
        this.settings = settings;
        this.logger = logger;
    }

    /// <summary>Opens the store and takes over the containers a previous berthd left: running ones are watched again, the rest settled.</summary>
    public static async Task<ContainerEngine> OpenAsync(ContainerSettings settings, ImageStore images, ConmonDriver monitor, NetworkService networks, VolumeService volumes, ILogger logger, CancellationToken ct)
    {
        var store = ContainerStore.Open(settings.Root, settings.RunRoot, out var unreadable);
        foreach (var id in unreadable) logger.LogWarning("Skipping container {Id}: its record cannot be read", id);
        var engine = new ContainerEngine(store, images, monitor, networks, volumes, settings, logger);
        volumes.Users = new ContainerVolumeUsers(store);
        await engine.RestoreAsync(ct).ConfigureAwait(false);
        return engine;
    }

    public ContainerStore Store => store;

    public NetworkService Networks => networks;

    public Container Get(string reference) => store.Get(reference);

    public ContainerCounts Counts()
    {
        int running = 0, paused = 0, stopped = 0;
        foreach (var c in store.All)
        {
            switch (c.Record.Status)
            {
                case ContainerStatus.Running or ContainerStatus.Restarting: running++; break;
                case ContainerStatus.Paused: paused++; break;
                default: stopped++; break;
            }
        }
        return new ContainerCounts(running, paused, stopped);
    }

    /// <summary>The snapshot key of a container's writable layer.</summary>
    internal static string SnapshotKey(string id) => SnapshotKeyPrefix + id;

    private const string SnapshotKeyPrefix = "container-";

    public void Dispose() => exits.Dispose();
}
