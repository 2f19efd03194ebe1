using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>What <c>fromImage</c> and <c>tag</c> name together; the tag may be a digest, as the docker CLI sends one;
/// a name with neither (<c>docker pull -a</c>) means every tag of the repository.</summary>
internal static class PullReference
{
    public static ImageReference Of(string fromImage, string? tag)
    {
        var reference = ImageReference.ParseNormalized(fromImage);
        if (!string.IsNullOrEmpty(tag))
            return Digest.TryParse(tag, out var digest) ? reference.NameOnly().WithDigest(digest) : reference.NameOnly().WithTag(tag);
        return reference;
    }
}
