using System.Text.Json.Serialization;

namespace Berth.Images.Registry;

/// <summary>The <c>aux</c> message that ends each pushed tag, as dockerd sends it.</summary>
internal sealed record PushAux(
    [property: JsonPropertyName("Tag")] string Tag,
    [property: JsonPropertyName("Digest")] string Digest,
    [property: JsonPropertyName("Size")] long Size);
