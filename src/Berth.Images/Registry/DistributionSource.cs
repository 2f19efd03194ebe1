using System.Text.Json.Serialization;

namespace Berth.Images.Registry;

/// <summary>
/// One place a layer is known to be stored compressed: its blob digest in a repository
/// (<c>registry/path</c>). The same record as dockerd's v2 metadata, so the files read alike;
/// <c>HMAC</c> (dockerd's tie to the credentials used) stays empty until pushes carry credentials.
/// </summary>
internal sealed record DistributionSource(
    [property: JsonPropertyName("Digest")] string Digest,
    [property: JsonPropertyName("SourceRepository")] string SourceRepository,
    [property: JsonPropertyName("HMAC")] string Hmac);
