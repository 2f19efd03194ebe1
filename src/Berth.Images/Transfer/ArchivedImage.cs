using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Transfer;

/// <summary>An image found in an unpacked archive: where its configuration and layers are, and its names.</summary>
/// <param name="ConfigDigest">The configuration's digest when the format states it (OCI), to verify.</param>
internal sealed record ArchivedImage(string ConfigPath, Digest? ConfigDigest, IReadOnlyList<ArchivedLayer> Layers, IReadOnlyList<ImageReference> Tags);

/// <param name="BlobDigest">The layer file's own digest when the format states it (OCI), to verify.</param>
internal sealed record ArchivedLayer(string RelativePath, Digest? BlobDigest);
