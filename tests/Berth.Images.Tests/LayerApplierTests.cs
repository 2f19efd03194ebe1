using Berth.Images.Archive;
using Berth.Images.Archive.Tar;
using Berth.Images.Native;

namespace Berth.Images.Tests;

public class LayerApplierTests
{
    private static async Task ApplyAsync(string root, WhiteoutMode mode, params (TarHeader, byte[]?)[] entries)
    {
        var tar = await TarBuilder.WriteAsync(entries);
        await new LayerApplier(root, mode).ApplyAsync(new MemoryStream(tar), CancellationToken.None);
    }

    [Fact]
    public async Task Files_keep_owner_mode_time_and_capabilities()
    {
        using var dir = new TempDirectory();
        var (header, content) = TarBuilder.File("bin/ping", "ELF", mode: 0x9ed);
        header.Uid = 1234;
        header.Gid = 5678;
        header.Xattrs["security.capability"] = [0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        await ApplyAsync(dir.Path, WhiteoutMode.Overlay, TarBuilder.Dir("bin"), (header, content));

        var st = Libc.LStat(dir.Combine("bin", "ping"));
        Assert.Equal(1234u, st.Uid);
        Assert.Equal(5678u, st.Gid);
        Assert.Equal(0x9ed, st.Mode & 0xfff);
        Assert.Equal(1_700_000_000, st.ModifySeconds);
        Assert.Equal(header.Xattrs["security.capability"], Libc.LGetXattr(dir.Combine("bin", "ping"), "security.capability"));
        Assert.Equal(1_700_000_000, Libc.LStat(dir.Combine("bin")).ModifySeconds);
    }

    [Fact]
    public async Task Overlay_mode_keeps_whiteouts_as_overlayfs_expects()
    {
        using var dir = new TempDirectory();
        await ApplyAsync(dir.Path, WhiteoutMode.Overlay,
            TarBuilder.Dir("etc"), TarBuilder.File("etc/.wh.motd", ""),
            TarBuilder.Dir("data"), TarBuilder.File("data/.wh..wh..opq", ""), TarBuilder.File("data/new", "n"));

        var whiteout = Libc.LStat(dir.Combine("etc", "motd"));
        Assert.True(whiteout.IsCharDevice);
        Assert.Equal((0u, 0u), (whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.False(File.Exists(dir.Combine("etc", ".wh.motd")));
        Assert.Equal("y"u8.ToArray(), Libc.LGetXattr(dir.Combine("data"), Whiteouts.OverlayOpaqueXattr));
        Assert.Equal("n", await File.ReadAllTextAsync(dir.Combine("data", "new")));
    }

    [Fact]
    public async Task Delete_mode_carries_out_whiteouts_and_opaque_directories()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("etc"));
        await File.WriteAllTextAsync(dir.Combine("etc", "motd"), "old");
        Directory.CreateDirectory(dir.Combine("data", "sub"));
        await File.WriteAllTextAsync(dir.Combine("data", "lower"), "old");
        await File.WriteAllTextAsync(dir.Combine("data", "sub", "lower"), "old");

        await ApplyAsync(dir.Path, WhiteoutMode.Delete,
            TarBuilder.File("etc/.wh.motd", ""),
            TarBuilder.Dir("data"), TarBuilder.File("data/.wh..wh..opq", ""), TarBuilder.File("data/new", "n"));

        Assert.False(File.Exists(dir.Combine("etc", "motd")));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(dir.Combine("data")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Hard_links_symlinks_devices_and_fifos_are_created()
    {
        using var dir = new TempDirectory();
        var device = new TarHeader { Name = "dev/null", Kind = TarEntryKind.CharDevice, DevMajor = 1, DevMinor = 3, Mode = 0x1b6 };
        var fifo = new TarHeader { Name = "run/fifo", Kind = TarEntryKind.Fifo, Mode = 0x1a4 };
        await ApplyAsync(dir.Path, WhiteoutMode.Overlay,
            TarBuilder.File("a", "shared"), TarBuilder.HardLink("b", "a"), TarBuilder.Symlink("c", "/a"), (device, null), (fifo, null));

        Assert.Equal(Libc.LStat(dir.Combine("a")).Inode, Libc.LStat(dir.Combine("b")).Inode);
        Assert.Equal("/a", new FileInfo(dir.Combine("c")).LinkTarget);
        var st = Libc.LStat(dir.Combine("dev", "null"));
        Assert.True(st.IsCharDevice);
        Assert.Equal((1u, 3u), (st.RdevMajor, st.RdevMinor));
        Assert.True(Libc.LStat(dir.Combine("run", "fifo")).IsFifo);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/../../evil")]
    public async Task Names_that_climb_out_are_refused(string name)
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        Directory.CreateDirectory(root);
        await Assert.ThrowsAsync<LayerFormatException>(() => ApplyAsync(root, WhiteoutMode.Overlay, TarBuilder.File(name, "x")));
        Assert.False(File.Exists(dir.Combine("evil")));
    }

    [Fact]
    public async Task Links_that_climb_out_are_refused()
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        Directory.CreateDirectory(root);
        await Assert.ThrowsAsync<LayerFormatException>(() => ApplyAsync(root, WhiteoutMode.Overlay, TarBuilder.HardLink("h", "../../etc/passwd")));
        await Assert.ThrowsAsync<LayerFormatException>(() => ApplyAsync(root, WhiteoutMode.Overlay, TarBuilder.Symlink("s", "../../../etc")));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public async Task Writing_through_a_symlink_stays_inside_the_root()
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        var outside = dir.Combine("outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(outside);

        // An absolute link to a host path, then an entry beneath it: the link resolves inside the root.
        await ApplyAsync(root, WhiteoutMode.Overlay, TarBuilder.Symlink("escape", outside), TarBuilder.File("escape/pwned", "x"));

        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Equal("x", await File.ReadAllTextAsync(root + outside + "/pwned"));
    }

    [Fact]
    public async Task An_absolute_name_lands_inside_the_root()
    {
        using var dir = new TempDirectory();
        await ApplyAsync(dir.Path, WhiteoutMode.Overlay, TarBuilder.File("/tmp/x", "inside"));
        Assert.Equal("inside", await File.ReadAllTextAsync(dir.Combine("tmp", "x")));
    }

    [Fact]
    public async Task Reports_the_size_dockerd_reports()
    {
        using var dir = new TempDirectory();
        var tar = await TarBuilder.WriteAsync(TarBuilder.File("a", "12345"), TarBuilder.Symlink("l", "/bin/busybox"), TarBuilder.HardLink("h", "a"));
        var size = await new LayerApplier(dir.Path, WhiteoutMode.Overlay).ApplyAsync(new MemoryStream(tar), CancellationToken.None);
        Assert.Equal(5 + "/bin/busybox".Length, size);
    }
}
