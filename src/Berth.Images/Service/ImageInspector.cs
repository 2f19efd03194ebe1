using Berth.Api;
using Berth.Api.Wire;
using Berth.Api.Wire.Images;
using Berth.Images.Layers;
using Berth.Images.Store;

namespace Berth.Images.Service;

/// <summary><c>GET /images/{name}/json</c> and <c>/history</c>.</summary>
internal sealed class ImageInspector(ImageStore store)
{
    public ImageInspect Inspect(string name, ApiVersion version)
    {
        var image = store.Resolve(name);
        var references = store.References.ReferencesTo(image.Id);
        var size = store.Size(image);
        var config = image.Config;
        var legacy = version < new ApiVersion(1, 45);
        return new ImageInspect
        {
            Id = image.Id.ToString(),
            RepoTags = references.Where(r => r.Tag is not null).Select(r => r.FamiliarString).ToList(),
            RepoDigests = references.Where(r => r.Digest is not null).Select(r => r.FamiliarString).ToList(),
            Parent = image.Parent?.ToString() ?? "",
            // As dockerd: a committed image keeps its comment only in its last history entry.
            Comment = string.IsNullOrEmpty(config.Comment) ? config.History?.LastOrDefault()?.Comment ?? "" : config.Comment,
            Created = config.Created ?? (legacy ? GoTime.ZeroTime : null),
            Container = legacy ? config.Container ?? "" : null,
            ContainerConfig = legacy ? config.ContainerConfig ?? new ContainerConfig() : null,
            DockerVersion = config.DockerVersion ?? "",
            Author = config.Author ?? "",
            Config = config.Config,
            Architecture = config.Architecture,
            Variant = string.IsNullOrEmpty(config.Variant) ? null : config.Variant,
            Os = config.Os,
            OsVersion = string.IsNullOrEmpty(config.OsVersion) ? null : config.OsVersion,
            Size = size,
            VirtualSize = version < new ApiVersion(1, 44) ? size : null,
            GraphDriver = new DriverData
            {
                Name = store.Snapshots.Name,
                Data = image.TopLayer is { } top && store.Snapshots.DriverData(top.ToString()) is { } data ? new(data) : null,
            },
            RootFS = new RootFs { Type = config.RootFs.Type, Layers = config.RootFs.DiffIds.Count > 0 ? [.. config.RootFs.DiffIds] : null },
            Metadata = new ImageMetadata
            {
                LastTagTime = image.Metadata.LastTagTime is { } t ? GoTime.Format(t) : legacy ? GoTime.ZeroTime : null,
            },
        };
    }

    public List<HistoryResponseItem> History(string name)
    {
        var image = store.Resolve(name);
        var chains = image.ChainIds;
        var entries = new List<(long Created, string CreatedBy, string Comment, long Size)>();
        var layerIndex = 0;
        foreach (var h in image.Config.History ?? [])
        {
            long size = 0;
            if (!h.EmptyLayer)
            {
                if (layerIndex >= chains.Count) throw Api.Errors.BerthException.System("too many non-empty layers in History section");
                size = store.Layers.Get(chains[layerIndex])?.Size ?? 0;
                layerIndex++;
            }
            var created = h.Created is { } c && DateTimeOffset.TryParse(c, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t.ToUnixTimeSeconds() : DateTimeOffset.MinValue.ToUnixTimeSeconds();
            entries.Add((created, h.CreatedBy ?? "", h.Comment ?? "", size));
        }
        entries.Reverse();

        // As dockerd: the newest entry is this image's, each older one its next known ancestor's.
        var result = new List<HistoryResponseItem>();
        ImageRecord? current = image;
        foreach (var entry in entries)
        {
            string id = "<missing>";
            List<string>? tags = null;
            if (current is not null)
            {
                id = current.Id.ToString();
                tags = store.References.ReferencesTo(current.Id).Where(r => r.Tag is not null).Select(r => r.FamiliarString).ToList();
                if (tags.Count == 0) tags = null;
                current = current.Parent is { } parent ? store.Get(parent) : null;
            }
            result.Add(new HistoryResponseItem { Id = id, Created = entry.Created, CreatedBy = entry.CreatedBy, Tags = tags, Size = entry.Size, Comment = entry.Comment });
        }
        return result;
    }
}
