using Berth.Api;
using Berth.Api.Filters;
using Berth.Api.Wire.Daemon;
using Berth.Api.Wire.Volumes;
using Berth.Engine.Containers;
using Berth.Images.Service;
using Berth.Volumes.Service;

namespace Berth.Engine.Info;

/// <summary><c>docker system df</c>: images with the containers using them and the space they share, containers with their writable layers, volumes with their sizes and users.</summary>
public sealed class DataUsageService(ImageService images, ContainerEngine containers, VolumeService volumes)
{
    public async Task<SystemDataUsage> UsageAsync(ApiVersion version, CancellationToken ct)
    {
        var store = images.Store;
        var records = store.All.ToList();
        var layerUse = records.SelectMany(r => r.ChainIds.Distinct()).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var containerRows = await containers.ListAsync(all: true, limit: -1, size: true, FilterArgs.Empty, DateTime.UtcNow, ct).ConfigureAwait(false);
        var summaries = images.List(all: false, FilterArgs.Empty, version);
        foreach (var summary in summaries)
        {
            var record = records.FirstOrDefault(r => r.Id.ToString() == summary.Id);
            summary.Containers = containerRows.Count(c => c.ImageID == summary.Id);
            summary.SharedSize = record is null ? 0 : record.ChainIds.Distinct().Where(c => layerUse[c] > 1).Sum(c => store.Layers.Get(c)?.Size ?? 0);
        }
        var volumeRows = new List<Volume>();
        foreach (var volume in volumes.List(FilterArgs.Empty).Volumes)
        {
            var record = volumes.Get(volume.Name);
            // As dockerd: volumes with driver options (tmpfs, a device) are not measured.
            if (record.NeedsMount) continue;
            volume.UsageData = new VolumeUsageData { Size = volumes.SizeOf(volume.Name), RefCount = volumes.UsersOf(volume.Name).Count };
            volumeRows.Add(volume);
        }
        return new SystemDataUsage
        {
            LayersSize = layerUse.Keys.Sum(c => store.Layers.Get(c)?.Size ?? 0),
            Images = summaries,
            Containers = containerRows,
            Volumes = volumeRows,
        };
    }
}
