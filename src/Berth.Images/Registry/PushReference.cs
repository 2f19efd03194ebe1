using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>What <c>POST /images/{name}/push?tag=</c> names: one tag, or (no tag anywhere) every tag of the repository.</summary>
internal static class PushReference
{
    public static ImageReference Of(string name, string? tag)
    {
        var reference = ImageReference.ParseNormalized(name);
        if (!string.IsNullOrEmpty(tag))
        {
            if (Digest.TryParse(tag, out _)) throw BerthException.InvalidParameter("cannot push a digest reference");
            reference = reference.NameOnly().WithTag(tag);
        }
        if (reference.Digest is not null) throw BerthException.InvalidParameter("cannot push a digest reference");
        return reference;
    }
}
