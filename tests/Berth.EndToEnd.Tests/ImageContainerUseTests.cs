using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Images that containers use: rmi refuses them with dockerd's conflicts, and prune keeps them.</summary>
public sealed class ImageContainerUseTests
{
    [Fact]
    public async Task A_stopped_containers_image_needs_force_and_its_container_still_starts()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        var image = (await TestImages.BusyboxIdAsync())["sha256:".Length..][..12];
        var container = (await daemon.DockerAsync("create", "--name", "ct", "busybox", "echo", "still here")).AssertSuccess().Stdout.Trim()[..12];

        var byTag = await daemon.DockerAsync("rmi", "busybox");
        Assert.Equal(1, byTag.ExitCode);
        Assert.Equal($"Error response from daemon: conflict: unable to remove repository reference \"busybox\" (must force) - container {container} is using its referenced image {image}\n", byTag.Stderr);
        var byId = await daemon.DockerAsync("rmi", image);
        Assert.Equal(1, byId.ExitCode);
        Assert.Equal($"Error response from daemon: conflict: unable to delete {image} (must be forced) - image is being used by stopped container {container}\n", byId.Stderr);

        // With a second tag, one of them may go.
        (await daemon.DockerAsync("tag", "busybox", "busybox:two")).AssertSuccess();
        Assert.Equal("Untagged: busybox:two\n", (await daemon.DockerAsync("rmi", "busybox:two")).AssertSuccess().Stdout);

        var pruned = (await daemon.DockerAsync("image", "prune", "-a", "-f")).AssertSuccess();
        Assert.Equal("Total reclaimed space: 0B\n", pruned.Stdout);
        Assert.Equal(image, (await daemon.DockerAsync("images", "-q", "busybox")).AssertSuccess().Stdout.Trim());

        // Force untags and deletes the image, as dockerd does; the container keeps its layers and still runs.
        var forced = (await daemon.DockerAsync("rmi", "-f", "busybox")).AssertSuccess();
        Assert.Equal($"Untagged: busybox:latest\nDeleted: {await TestImages.BusyboxIdAsync()}\n", forced.Stdout);
        Assert.Empty((await daemon.DockerAsync("images", "-aq")).AssertSuccess().Lines);
        var started = (await daemon.DockerAsync("start", "-a", "ct")).AssertSuccess();
        Assert.Equal("still here\n", started.Stdout);
    }

    [Fact]
    public async Task A_running_containers_image_cannot_be_deleted_even_with_force()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        var fullId = await TestImages.BusyboxIdAsync();
        var image = fullId["sha256:".Length..][..12];
        var container = (await daemon.DockerAsync("run", "-d", "--name", "rn", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim()[..12];

        var byTag = await daemon.DockerAsync("rmi", "busybox");
        Assert.Equal(1, byTag.ExitCode);
        Assert.Contains($"conflict: unable to remove repository reference \"busybox\" (must force) - container {container} is using its referenced image {image}", byTag.Stderr);
        var forcedById = await daemon.DockerAsync("rmi", "-f", image);
        Assert.Equal(1, forcedById.ExitCode);
        Assert.Equal($"Error response from daemon: conflict: unable to delete {image} (cannot be forced) - image is being used by running container {container}\n", forcedById.Stderr);

        (await daemon.DockerAsync("image", "prune", "-a", "-f")).AssertSuccess();
        Assert.Equal(image, (await daemon.DockerAsync("images", "-q", "busybox")).AssertSuccess().Stdout.Trim());

        // Forcing the tag away only untags: the running container's image stays, dangling.
        Assert.Equal("Untagged: busybox:latest\n", (await daemon.DockerAsync("rmi", "-f", "busybox")).AssertSuccess().Stdout);
        Assert.Equal(image, (await daemon.DockerAsync("images", "-q", "--filter", "dangling=true")).AssertSuccess().Stdout.Trim());

        // Once the container is gone, nothing holds the image.
        (await daemon.DockerAsync("rm", "-f", "rn")).AssertSuccess();
        var freed = (await daemon.DockerAsync("image", "prune", "-f")).AssertSuccess();
        Assert.Contains($"deleted: {fullId}", freed.Lines);
    }

    [Fact]
    public async Task Prune_all_deletes_unused_images_and_keeps_used_ones()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        var tarball = Path.Combine(daemon.Root, "tiny.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("tiny", "x")));
        var unused = (await daemon.DockerAsync("import", tarball, "unused:1")).AssertSuccess().Stdout.Trim();
        (await daemon.DockerAsync("create", "--name", "user", "busybox")).AssertSuccess();

        var pruned = (await daemon.DockerAsync("image", "prune", "-a", "-f")).AssertSuccess();
        Assert.Contains("untagged: unused:1", pruned.Lines);
        Assert.Contains($"deleted: {unused}", pruned.Lines);
        Assert.DoesNotContain(pruned.Lines, l => l.Contains("busybox", StringComparison.Ordinal));
        Assert.Equal(["busybox:latest"], (await daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().Lines);
        // As dockerd 20.10, GET /images/json does not count containers (Containers is -1; the CLI shows N/A).
        Assert.Equal("N/A", (await daemon.DockerAsync("images", "--format", "{{.Containers}}")).AssertSuccess().Stdout.Trim());
    }
}
