namespace Berth.Api.Wire.Images;

/// <summary>One line of <c>GET /images/{name}/history</c>, newest first (keys in dockerd's order).</summary>
public sealed class HistoryResponseItem
{
    public string Comment { get; init; } = "";
    public long Created { get; init; }
    public string CreatedBy { get; init; } = "";
    public required string Id { get; init; }
    public long Size { get; init; }
    public List<string>? Tags { get; init; }
}
