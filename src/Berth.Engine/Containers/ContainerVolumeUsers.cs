using Berth.Volumes.Service;

namespace Berth.Engine.Containers;

/// <summary>Tells the volume service which containers mount a volume, so rm and prune leave it alone while any does, as dockerd does.</summary>
public sealed class ContainerVolumeUsers(ContainerStore store) : IVolumeUsers
{
    public IReadOnlyList<string> ContainersUsing(string volumeName) =>
        store.All.Where(c => c.Record.MountPoints.Any(p => p.Type == "volume" && p.Name == volumeName)).Select(c => c.Id).ToList();
}
