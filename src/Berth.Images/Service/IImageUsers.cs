using Berth.Images.Digests;

namespace Berth.Images.Service;

/// <summary>A container made from an image, as the image service needs to know it: which one, and whether it runs.</summary>
public sealed record ImageUser(string ContainerId, bool Running);

/// <summary>
/// Who uses images. <c>docker rmi</c> and <c>docker image prune</c> ask it before deleting; the
/// container engine, which sits above the image service, answers (dependencies point downward).
/// </summary>
public interface IImageUsers
{
    /// <summary>The containers created from <paramref name="imageId"/>, running or not.</summary>
    IReadOnlyList<ImageUser> UsersOf(Digest imageId);
}
