using Berth.Api.Wire.Containers;
using Berth.Api.Wire.Images;
using Berth.Api.Wire.Volumes;

namespace Berth.Api.Wire.Daemon;

/// <summary>The answer of <c>GET /system/df</c>: what images, containers and volumes take on disk.</summary>
public sealed class SystemDataUsage
{
    public long LayersSize { get; set; }
    public List<ImageSummary> Images { get; set; } = [];
    public List<ContainerSummary> Containers { get; set; } = [];
    public List<Volume> Volumes { get; set; } = [];
    public List<object> BuildCache { get; set; } = [];
}
