using Berth.Images.Digests;
using Berth.Images.Service;

namespace Berth.Engine.Containers;

/// <summary>Tells the image service which containers use an image, so rmi and prune leave those images alone as dockerd does.</summary>
public sealed class ContainerImageUsers(ContainerStore store) : IImageUsers
{
    public IReadOnlyList<ImageUser> UsersOf(Digest imageId)
    {
        var id = imageId.ToString();
        // A restarting container counts as running, as in dockerd (its State.Running stays true).
        return store.All
            .Where(c => c.Record.ImageId == id)
            .Select(c => new ImageUser(c.Id, c.IsRunning || c.Record.Status == ContainerStatus.Restarting))
            .ToList();
    }
}
