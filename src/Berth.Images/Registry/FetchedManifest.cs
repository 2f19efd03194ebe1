using Berth.Images.Digests;

namespace Berth.Images.Registry;

/// <summary>A manifest as the registry sent it: its bytes, their digest and its media type.</summary>
internal sealed record FetchedManifest(byte[] Bytes, Digest Digest, string MediaType);
