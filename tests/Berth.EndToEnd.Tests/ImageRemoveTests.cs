using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker rmi</c>, <c>docker tag</c> and <c>docker image prune</c>: untag versus delete, conflicts, and reclaimed layers.</summary>
public sealed class ImageRemoveTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;
    private int _next;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    /// <summary>Imports a fresh one-layer image with its own content under <paramref name="tag"/>; returns its ID.</summary>
    private async Task<string> NewImageAsync(string tag)
    {
        var tarball = Path.Combine(_daemon.Root, $"content-{Interlocked.Increment(ref _next)}.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("file", tarball)));
        return (await _daemon.DockerAsync("import", tarball, tag)).AssertSuccess().Stdout.Trim();
    }

    private async Task<string> LayerOfAsync(string id) =>
        (await _daemon.DockerAsync("image", "inspect", "--format", "{{index .RootFS.Layers 0}}", id)).AssertSuccess().Stdout.Trim();

    [Fact]
    public async Task Removing_one_of_two_tags_only_untags()
    {
        var id = await NewImageAsync("rmtest:a");
        (await _daemon.DockerAsync("tag", "rmtest:a", "rmtest:b")).AssertSuccess();
        Assert.Equal("Untagged: rmtest:a\n", (await _daemon.DockerAsync("rmi", "rmtest:a")).AssertSuccess().Stdout);
        var layer = await LayerOfAsync(id);
        var last = (await _daemon.DockerAsync("rmi", "rmtest:b")).AssertSuccess();
        Assert.Equal($"Untagged: rmtest:b\nDeleted: {id}\nDeleted: {layer}\n", last.Stdout);
        var again = await _daemon.DockerAsync("rmi", "rmtest:b");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("Error response from daemon: No such image: rmtest:b\n", again.Stderr);
    }

    [Fact]
    public async Task Removing_by_id_an_image_with_several_tags_needs_force()
    {
        var id = await NewImageAsync("multi:1");
        (await _daemon.DockerAsync("tag", "multi:1", "other:1")).AssertSuccess();
        var refused = await _daemon.DockerAsync("rmi", id[7..19]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"Error response from daemon: conflict: unable to delete {id[7..19]} (must be forced) - image is referenced in multiple repositories\n", refused.Stderr);
        var forced = (await _daemon.DockerAsync("rmi", "-f", id[7..19])).AssertSuccess();
        Assert.StartsWith($"Untagged: multi:1\nUntagged: other:1\nDeleted: {id}\n", forced.Stdout);
    }

    [Fact]
    public async Task Removing_by_id_an_image_with_one_tag_untags_and_deletes()
    {
        var id = await NewImageAsync("single:1");
        var removed = (await _daemon.DockerAsync("rmi", id)).AssertSuccess();
        Assert.StartsWith($"Untagged: single:1\nDeleted: {id}\n", removed.Stdout);
    }

    [Fact]
    public async Task A_layer_shared_with_another_image_is_kept()
    {
        var tarball = Path.Combine(_daemon.Root, "shared.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("shared", "same content")));
        var first = (await _daemon.DockerAsync("import", "-m", "one", tarball, "shared:one")).AssertSuccess().Stdout.Trim();
        (await _daemon.DockerAsync("import", "-m", "two", tarball, "shared:two")).AssertSuccess();
        var layerDir = Path.Combine(_daemon.DataRoot, "image", "overlay2", "layerdb", "sha256", (await LayerOfAsync(first))[7..]);
        Assert.Equal($"Untagged: shared:one\nDeleted: {first}\n", (await _daemon.DockerAsync("rmi", "shared:one")).AssertSuccess().Stdout);
        Assert.True(Directory.Exists(layerDir));
        (await _daemon.DockerAsync("rmi", "shared:two")).AssertSuccess();
        Assert.False(Directory.Exists(layerDir));
    }

    [Fact]
    public async Task Unknown_and_invalid_names_fail_with_dockerds_messages()
    {
        var result = await _daemon.DockerAsync("rmi", "nosuch", "busybox:nosuch");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\nError response from daemon: No such image: busybox:nosuch\n", result.Stderr);
        Assert.Equal("Error response from daemon: invalid reference format: repository name must be lowercase\n", (await _daemon.DockerAsync("rmi", "Bad:Ref")).Stderr);
        Assert.Equal("Error response from daemon: No such image: sha256:0000\n", (await _daemon.DockerAsync("rmi", "sha256:0000")).Stderr);
        var sdk = await Assert.ThrowsAsync<Berth.Client.EngineApiException>(() => _daemon.Client.RemoveImageAsync("nosuch"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, sdk.Status);
    }

    [Fact]
    public async Task Tagging_checks_the_new_name_and_the_image()
    {
        await NewImageAsync("tagsrc:1");
        (await _daemon.DockerAsync("tag", "tagsrc:1", "localhost:5000/team/app:v2")).AssertSuccess();
        Assert.Contains("localhost:5000/team/app:v2", (await _daemon.DockerAsync("image", "inspect", "--format", "{{json .RepoTags}}", "tagsrc:1")).Stdout);
        var lastTag = (await _daemon.DockerAsync("image", "inspect", "--format", "{{.Metadata.LastTagTime}}", "tagsrc:1")).AssertSuccess();
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd"), lastTag.Stdout.Trim());
        var unknown = await _daemon.DockerAsync("tag", "nosuch", "x:1");
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\n", unknown.Stderr);
        var cliRefused = await _daemon.DockerAsync("tag", "tagsrc:1", "a:b:c");
        Assert.Equal(1, cliRefused.ExitCode);
        using var digest = await _daemon.Client.RawAsync(HttpMethod.Post, "/images/tagsrc:1/tag?repo=x@sha256:" + new string('a', 64));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, digest.StatusCode);
        Assert.Contains("refusing to create a tag with a digest reference", await digest.Content.ReadAsStringAsync());
        using var ok = await _daemon.Client.RawAsync(HttpMethod.Post, "/images/tagsrc:1/tag?repo=raw&tag=t1");
        Assert.Equal(System.Net.HttpStatusCode.Created, ok.StatusCode);
    }
}
