using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Images;

/// <summary>One effect of an image removal: a reference untagged or an image or layer deleted.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Untagged { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Deleted { get; init; }
}

/// <summary>The body of <c>POST /images/prune</c>.</summary>
public sealed class ImagesPruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; init; }
    public ulong SpaceReclaimed { get; init; }
}
