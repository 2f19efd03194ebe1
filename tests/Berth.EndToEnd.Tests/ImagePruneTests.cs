using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker image prune</c> on a daemon of its own, so that the space reclaimed is exactly what the test made.</summary>
public sealed class ImagePruneTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task Prune_removes_dangling_images_and_with_all_every_unused_one()
    {
        var tarball = Path.Combine(_daemon.Root, "prune.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("prune", new string('p', 1000))));
        var dangling = (await _daemon.DockerAsync("import", "-m", "old", tarball, "prune:me")).AssertSuccess().Stdout.Trim();
        var kept = (await _daemon.DockerAsync("import", "-m", "new", tarball, "prune:me")).AssertSuccess().Stdout.Trim();

        var pruned = (await _daemon.DockerAsync("image", "prune", "-f")).AssertSuccess();
        Assert.Contains($"deleted: {dangling}", pruned.Lines);
        Assert.Equal("Total reclaimed space: 0B", pruned.Lines[^1]);
        Assert.Equal("Total reclaimed space: 0B\n", (await _daemon.DockerAsync("image", "prune", "-f")).AssertSuccess().Stdout);

        var all = (await _daemon.DockerAsync("image", "prune", "-a", "-f")).AssertSuccess();
        Assert.Contains("untagged: prune:me", all.Lines);
        Assert.Contains($"deleted: {kept}", all.Lines);
        Assert.Equal("Total reclaimed space: 1kB", all.Lines[^1]);
        Assert.Empty((await _daemon.DockerAsync("images", "-q", "prune")).AssertSuccess().Lines);

        var raw = await _daemon.Client.PruneImagesAsync();
        Assert.Null(raw.ImagesDeleted);
        Assert.Equal(0ul, raw.SpaceReclaimed);
        var bad = await _daemon.DockerAsync("image", "prune", "-f", "--filter", "bogus=1");
        Assert.Equal("Error response from daemon: Invalid filter 'bogus'\n", bad.Stderr);
    }

    [Fact]
    public async Task Prune_filters_by_label_and_age()
    {
        var tarball = Path.Combine(_daemon.Root, "labels.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("label", "l")));
        var keep = (await _daemon.DockerAsync("import", "-c", "LABEL keep=yes", tarball, "labelled:keep")).AssertSuccess().Stdout.Trim();
        var drop = (await _daemon.DockerAsync("import", "-c", "LABEL keep=no", tarball, "labelled:drop")).AssertSuccess().Stdout.Trim();

        var tooYoung = (await _daemon.DockerAsync("image", "prune", "-a", "-f", "--filter", "until=1h")).AssertSuccess();
        Assert.Equal("Total reclaimed space: 0B\n", tooYoung.Stdout);

        var pruned = (await _daemon.DockerAsync("image", "prune", "-a", "-f", "--filter", "label=keep=no")).AssertSuccess();
        Assert.Contains($"deleted: {drop}", pruned.Lines);
        Assert.DoesNotContain($"deleted: {keep}", pruned.Lines);
        Assert.Equal(0, (await _daemon.DockerAsync("image", "inspect", "labelled:keep")).ExitCode);

        var negated = (await _daemon.DockerAsync("image", "prune", "-a", "-f", "--filter", "label!=keep=yes")).AssertSuccess();
        Assert.DoesNotContain($"deleted: {keep}", negated.Lines);
    }
}
