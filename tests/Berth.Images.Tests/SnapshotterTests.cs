using Berth.Images.Archive;
using Berth.Images.Native;
using Berth.Images.Snapshots;

namespace Berth.Images.Tests;

public class SnapshotterTests
{
    private static async Task CommitLayerAsync(ISnapshotter snapshots, string name, string? parent, params (Archive.Tar.TarHeader, byte[]?)[] entries)
    {
        var key = "extract-" + name;
        await snapshots.PrepareAsync(key, parent, CancellationToken.None);
        var tar = await TarBuilder.WriteAsync(entries);
        await new LayerApplier(snapshots.ContentDirectory(key), snapshots.WhiteoutMode).ApplyAsync(new MemoryStream(tar), CancellationToken.None);
        await snapshots.CommitAsync(name, key, CancellationToken.None);
    }

    private static async Task BuildStackAsync(ISnapshotter snapshots)
    {
        await CommitLayerAsync(snapshots, "l1", null,
            TarBuilder.Dir("etc"), TarBuilder.File("etc/motd", "hello"), TarBuilder.File("etc/keep", "k"),
            TarBuilder.Dir("data"), TarBuilder.File("data/old", "o"));
        await CommitLayerAsync(snapshots, "l2", "l1",
            TarBuilder.File("etc/.wh.motd", ""), TarBuilder.Dir("data"), TarBuilder.File("data/.wh..wh..opq", ""), TarBuilder.File("data/new", "n"));
    }

    [Fact]
    public async Task Overlay_container_root_shows_layers_with_deletions_applied()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        await BuildStackAsync(snapshots);
        var mounts = await snapshots.PrepareAsync("container", "l2", CancellationToken.None);
        var rootfs = dir.Combine("rootfs");
        Directory.CreateDirectory(rootfs);
        await Mounter.MountAsync(mounts, rootfs, CancellationToken.None);
        try
        {
            Assert.False(File.Exists(Path.Combine(rootfs, "etc", "motd")));
            Assert.Equal("k", await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "keep")));
            Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(rootfs, "data")).Select(Path.GetFileName));
            await File.WriteAllTextAsync(Path.Combine(rootfs, "written"), "w");
        }
        finally
        {
            Mounter.Unmount(rootfs);
        }
        Assert.Equal("w", await File.ReadAllTextAsync(Path.Combine(snapshots.ContentDirectory("container"), "written")));
        Assert.False(File.Exists(Path.Combine(snapshots.ContentDirectory("l2"), "written")));
    }

    [Fact]
    public async Task Vfs_copies_parents_and_carries_out_deletions()
    {
        using var dir = new TempDirectory();
        var snapshots = new VfsSnapshotter(dir.Combine("vfs"));
        await BuildStackAsync(snapshots);
        await snapshots.PrepareAsync("container", "l2", CancellationToken.None);
        var root = snapshots.ContentDirectory("container");
        Assert.False(File.Exists(Path.Combine(root, "etc", "motd")));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(root, "data")).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(snapshots.ContentDirectory("l1"), "etc", "motd")));
    }

    [Fact]
    public async Task A_deep_image_mounts_although_its_options_pass_a_page()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        string? parent = null;
        const int depth = 120;
        for (var i = 0; i < depth; i++)
        {
            await CommitLayerAsync(snapshots, $"layer{i}", parent, TarBuilder.File($"f{i}", i.ToString()));
            parent = $"layer{i}";
        }
        var mounts = await snapshots.PrepareAsync("container", parent, CancellationToken.None);
        Assert.True(string.Join(',', mounts[0].Options).Length > Environment.SystemPageSize, "the test needs options longer than a page");
        var rootfs = dir.Combine("rootfs");
        Directory.CreateDirectory(rootfs);
        await Mounter.MountAsync(mounts, rootfs, CancellationToken.None);
        try
        {
            Assert.Equal(depth, Directory.GetFiles(rootfs).Length);
            Assert.Equal("0", await File.ReadAllTextAsync(Path.Combine(rootfs, "f0")));
            Assert.Equal(Environment.CurrentDirectory, Directory.GetCurrentDirectory());
        }
        finally
        {
            Mounter.Unmount(rootfs);
        }
    }

    [Fact]
    public async Task Deeper_than_the_limit_is_refused()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        string? parent = null;
        for (var i = 0; i < 126; i++)
        {
            await snapshots.PrepareAsync($"k{i}", parent, CancellationToken.None);
            await snapshots.CommitAsync($"c{i}", $"k{i}", CancellationToken.None);
            parent = $"c{i}";
        }
        var e = await Assert.ThrowsAsync<Api.Errors.BerthException>(() => snapshots.PrepareAsync("too-deep", parent, CancellationToken.None));
        Assert.Contains("max depth exceeded", e.Message);
    }

    [Fact]
    public async Task Snapshots_survive_a_reopen_and_refuse_removal_under_children()
    {
        using var dir = new TempDirectory();
        var snapshots = new OverlaySnapshotter(dir.Combine("overlay2"));
        await BuildStackAsync(snapshots);
        var reopened = new OverlaySnapshotter(dir.Combine("overlay2"));
        Assert.Equal(SnapshotKind.Committed, reopened.Stat("l2")!.Kind);
        Assert.Equal("l1", reopened.Stat("l2")!.Parent);
        await Assert.ThrowsAsync<Api.Errors.BerthException>(() => reopened.RemoveAsync("l1", CancellationToken.None));
        await reopened.RemoveAsync("l2", CancellationToken.None);
        await reopened.RemoveAsync("l1", CancellationToken.None);
        Assert.Empty(reopened.List());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("overlay2", "l")));
    }

    [Fact]
    public void Reports_whether_the_backing_filesystem_has_d_type()
    {
        using var dir = new TempDirectory();
        Assert.True(Libc.SupportsDirectoryEntryTypes(dir.Path));
        Assert.Contains(["Supports d_type", "true"], new OverlaySnapshotter(dir.Combine("overlay2")).Status);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Combine("overlay2")), e => e.Contains("d_type"));
    }

    [Fact]
    public void Relative_overlay_options_use_the_shared_directory()
    {
        var (baseDir, data) = OverlayOptions.Relativize([
            "lowerdir=/var/lib/berth/overlay2/l/AAA:/var/lib/berth/overlay2/l/BBB",
            "upperdir=/var/lib/berth/overlay2/abc/diff",
            "workdir=/var/lib/berth/overlay2/abc/work",
        ]);
        Assert.Equal("/var/lib/berth/overlay2", baseDir);
        Assert.Equal("lowerdir=l/AAA:l/BBB,upperdir=abc/diff,workdir=abc/work", data);
    }

    [Fact]
    public async Task Overlay_upper_directories_export_as_oci_whiteouts()
    {
        using var dir = new TempDirectory();
        var upper = dir.Combine("upper");
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        Libc.MkNod(Path.Combine(upper, "etc", "motd"), Libc.S_IFCHR, 0, 0, 0);
        Directory.CreateDirectory(Path.Combine(upper, "data"));
        Libc.LSetXattr(Path.Combine(upper, "data"), Whiteouts.OverlayOpaqueXattr, "y"u8.ToArray());
        await File.WriteAllTextAsync(Path.Combine(upper, "data", "new"), "n");

        var tar = new MemoryStream();
        await DirectoryTarWriter.WriteAsync(upper, tar, overlayWhiteouts: true, CancellationToken.None);
        var names = new List<string>();
        var reader = new Archive.Tar.TarStreamReader(new MemoryStream(tar.ToArray()));
        while (await reader.NextAsync() is { } header) names.Add(header.Name);
        Assert.Equal(["data/", "data/.wh..wh..opq", "data/new", "etc/", "etc/.wh.motd"], names);
    }
}
