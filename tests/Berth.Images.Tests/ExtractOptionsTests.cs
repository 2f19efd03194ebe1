using Berth.Images.Archive;
using Berth.Images.Native;

namespace Berth.Images.Tests;

/// <summary>Extracting a plain archive (docker cp) rather than a layer.</summary>
public class ExtractOptionsTests
{
    private static async Task ExtractAsync(string root, ExtractOptions options, params (Berth.Images.Archive.Tar.TarHeader, byte[]?)[] entries) =>
        await new LayerApplier(root, WhiteoutMode.Overlay, options).ApplyAsync(new MemoryStream(await TarBuilder.WriteAsync(entries)), CancellationToken.None);

    [Fact]
    public async Task Whiteout_names_are_ordinary_files_and_owners_can_be_replaced()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("motd"), "kept");
        await ExtractAsync(dir.Path, new ExtractOptions { ApplyWhiteouts = false, Owner = (1000, 1001) }, TarBuilder.File(".wh.motd", "plain"));

        Assert.Equal("kept", await File.ReadAllTextAsync(dir.Combine("motd")));
        Assert.Equal("plain", await File.ReadAllTextAsync(dir.Combine(".wh.motd")));
        var st = Libc.LStat(dir.Combine(".wh.motd"));
        Assert.Equal((1000u, 1001u), (st.Uid, st.Gid));
    }

    [Fact]
    public async Task No_overwrite_dir_non_dir_refuses_to_replace_a_directory_with_a_file()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("sub"));
        var error = await Assert.ThrowsAsync<LayerFormatException>(() =>
            ExtractAsync(dir.Path, new ExtractOptions { NoOverwriteDirNonDir = true, DestinationName = "/tmp" }, TarBuilder.File("sub", "x")));
        Assert.Equal("cannot overwrite directory \"/tmp/sub\" with non-directory \"/tmp\"", error.Message);
        Assert.True(Directory.Exists(dir.Combine("sub")));

        await ExtractAsync(dir.Path, ExtractOptions.Layer, TarBuilder.File("sub", "x"));
        Assert.Equal("x", await File.ReadAllTextAsync(dir.Combine("sub")));
    }

    [Fact]
    public async Task The_extraction_directory_can_keep_its_own_mode()
    {
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ed);
        await ExtractAsync(dir.Path, new ExtractOptions { ApplyRootEntry = false }, TarBuilder.Dir(".", mode: 0x1c0), TarBuilder.File("f", "x"));
        Assert.Equal(0x1ed, Libc.LStat(dir.Path).Mode & 0xfff);
        await ExtractAsync(dir.Path, ExtractOptions.Layer, TarBuilder.Dir(".", mode: 0x1c0));
        Assert.Equal(0x1c0, Libc.LStat(dir.Path).Mode & 0xfff);
    }
}
