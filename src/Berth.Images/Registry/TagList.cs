using System.Text.Json.Serialization;

namespace Berth.Images.Registry;

/// <summary>The body of <c>GET /v2/NAME/tags/list</c>.</summary>
internal sealed record TagList([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("tags")] List<string>? Tags);
