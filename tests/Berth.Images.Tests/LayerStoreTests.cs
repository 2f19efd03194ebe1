using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.Snapshots;

namespace Berth.Images.Tests;

public class LayerStoreTests
{
    [Fact]
    public async Task A_layer_is_stored_once_and_rebuilds_exactly()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        var store = await LayerStore.OpenAsync(dir.Combine("layerdb"), snapshots, CancellationToken.None);
        var tar = await TarBuilder.WriteAsync(TarBuilder.Dir("etc"), TarBuilder.File("etc/hostname", "box"));

        var first = await store.RegisterAsync(new MemoryStream(tar), null, Digest.Sha256(tar), CancellationToken.None);
        var second = await store.RegisterAsync(new MemoryStream(tar), null, null, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Equal(Digest.Sha256(tar), first.DiffId);
        Assert.Equal(first.DiffId, first.ChainId);
        Assert.Equal(tar.Length, first.TarSize);
        Assert.Single(snapshots.List());

        var rebuilt = new MemoryStream();
        await store.WriteTarAsync(first.ChainId, rebuilt, CancellationToken.None);
        Assert.Equal(tar, rebuilt.ToArray());

        var reopened = await LayerStore.OpenAsync(dir.Combine("layerdb"), new OverlaySnapshotter(dir.Combine("overlay2")), CancellationToken.None);
        Assert.Equal(first, reopened.Get(first.ChainId));
    }

    [Fact]
    public async Task A_gzip_layer_is_verified_against_its_uncompressed_digest()
    {
        using var dir = new TempDirectory();
        var store = await LayerStore.OpenAsync(dir.Combine("layerdb"), new OverlaySnapshotter(dir.Combine("overlay2")), CancellationToken.None);
        var tar = await TarBuilder.WriteAsync(TarBuilder.File("a", "gzipped"));
        var gz = new MemoryStream();
        await using (var zip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            await zip.WriteAsync(tar);
        var layer = await store.RegisterAsync(new MemoryStream(gz.ToArray()), null, Digest.Sha256(tar), CancellationToken.None);
        Assert.Equal(Digest.Sha256(tar), layer.DiffId);
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_diff_id_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        var store = await LayerStore.OpenAsync(dir.Combine("layerdb"), snapshots, CancellationToken.None);
        var tar = await TarBuilder.WriteAsync(TarBuilder.File("a", "x"));
        var wrong = Digest.Sha256("something else"u8);

        var e = await Assert.ThrowsAsync<DiffIdMismatchException>(() => store.RegisterAsync(new MemoryStream(tar), null, wrong, CancellationToken.None));
        Assert.Equal(wrong, e.Expected);
        Assert.Empty(store.All());
        Assert.Empty(snapshots.List());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("layerdb", "tmp")));
    }

    [Fact]
    public async Task Chains_share_parents_and_unreferenced_layers_are_deleted_top_first()
    {
        using var dir = new TempDirectory();
        var snapshots = new VfsSnapshotter(dir.Combine("vfs"));
        var store = await LayerStore.OpenAsync(dir.Combine("layerdb"), snapshots, CancellationToken.None);
        var bottom = await store.RegisterAsync(new MemoryStream(await TarBuilder.WriteAsync(TarBuilder.File("a", "1"))), null, null, CancellationToken.None);
        var top = await store.RegisterAsync(new MemoryStream(await TarBuilder.WriteAsync(TarBuilder.File("b", "2"))), bottom.ChainId, null, CancellationToken.None);
        Assert.Equal(ChainId.Of(bottom.ChainId, top.DiffId), top.ChainId);

        Assert.Empty(await store.DeleteUnreferencedAsync([top.ChainId], CancellationToken.None));
        var deleted = await store.DeleteUnreferencedAsync([], CancellationToken.None);
        Assert.Equal([top.ChainId, bottom.ChainId], deleted);
        Assert.Empty(snapshots.List());
    }

    [Fact]
    public async Task An_interrupted_registration_is_cleaned_up_on_reopen()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        await LayerStore.OpenAsync(dir.Combine("layerdb"), snapshots, CancellationToken.None);
        // What a crash leaves: an unfinished extraction and a committed snapshot whose layer never became visible.
        await snapshots.PrepareAsync("extract-crashed", null, CancellationToken.None);
        await snapshots.PrepareAsync("extract-committed", null, CancellationToken.None);
        await snapshots.CommitAsync("sha256:" + new string('a', 64), "extract-committed", CancellationToken.None);

        var reopenedSnapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        await LayerStore.OpenAsync(dir.Combine("layerdb"), reopenedSnapshots, CancellationToken.None);
        Assert.Empty(reopenedSnapshots.List());
    }
}
