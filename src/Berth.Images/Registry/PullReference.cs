using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>What <c>fromImage</c> and <c>tag</c> name together; the tag may be a digest, as the docker CLI sends one.</summary>
internal static class PullReference
{
    public static ImageReference Of(string fromImage, string? tag)
    {
        var reference = ImageReference.ParseNormalized(fromImage);
        if (!string.IsNullOrEmpty(tag))
            return Digest.TryParse(tag, out var digest) ? reference.NameOnly().WithDigest(digest) : reference.NameOnly().WithTag(tag);
        if (reference.IsNameOnly) throw BerthException.NotImplemented("pulling all tags of a repository is not supported yet");
        return reference;
    }
}
