using Berth.Images.Archive;

namespace Berth.Images.Tests;

/// <summary>A layer unpacked with a tar-split record must rebuild into exactly the bytes it came from.</summary>
public class TarSplitTests
{
    private static async Task<byte[]> RoundTripAsync(byte[] tar, WhiteoutMode mode, bool trickle = false)
    {
        using var dir = new TempDirectory();
        var root = dir.Combine("root");
        var shadow = dir.Combine("shadow");
        Directory.CreateDirectory(root);
        var splitBytes = new MemoryStream();
        var split = new TarSplitWriter(splitBytes);
        var applier = new LayerApplier(root, mode, split, shadow);
        await applier.ApplyAsync(trickle ? new TricklingStream(tar) : new MemoryStream(tar), CancellationToken.None);
        await split.CompleteAsync(CancellationToken.None);
        await split.DisposeAsync();

        var shadowed = applier.ShadowedFiles.ToHashSet();
        var rebuilt = new MemoryStream();
        await TarSplitReader.WriteTarAsync(new MemoryStream(splitBytes.ToArray()), (index, path) =>
            File.OpenRead(shadowed.Contains(index) ? Path.Combine(shadow, index.ToString()) : Path.Combine(root, path)), rebuilt, CancellationToken.None);
        return rebuilt.ToArray();
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("posix")]
    public async Task Gnu_tar_layers_rebuild_byte_for_byte(string format)
    {
        using var source = new TempDirectory();
        var deep = source.Combine(string.Join('/', Enumerable.Repeat("nested", 20)));
        Directory.CreateDirectory(deep);
        await File.WriteAllBytesAsync(Path.Combine(deep, "big.bin"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        await File.WriteAllTextAsync(source.Combine("small"), "s");
        File.CreateSymbolicLink(source.Combine("link"), "small");
        Native.Libc.Link(source.Combine("small"), source.Combine("hard"));
        await File.WriteAllTextAsync(source.Combine(".wh.deleted"), "");

        var tar = await TarBuilder.GnuTarAsync(source.Path, format);
        Assert.Equal(tar, await RoundTripAsync(tar, WhiteoutMode.Overlay));
        Assert.Equal(tar, await RoundTripAsync(tar, WhiteoutMode.Delete));
    }

    [Fact]
    public async Task A_file_written_twice_in_one_layer_still_rebuilds()
    {
        var tar = await TarBuilder.WriteAsync(
            TarBuilder.Dir("d"), TarBuilder.File("d/f", "first version"), TarBuilder.File("d/f", "second"),
            TarBuilder.File("gone", "removed later"), TarBuilder.File(".wh.gone", ""),
            TarBuilder.File("d2/x", "under a dir that is replaced"), TarBuilder.File("d2", "now a file"));
        Assert.Equal(tar, await RoundTripAsync(tar, WhiteoutMode.Overlay));
    }

    [Fact]
    public async Task An_input_that_arrives_in_ragged_pieces_rebuilds_exactly()
    {
        var big = new string('b', 200_000);
        var tar = await TarBuilder.WriteAsync(
            TarBuilder.Dir("d"), TarBuilder.File("d/" + new string('n', 150), big), TarBuilder.File("d/small", "s"),
            TarBuilder.Symlink("d/link", "small"), TarBuilder.File("d/" + new string('x', 120) + "/deep", "deep"));
        Assert.Equal(tar, await RoundTripAsync(tar, WhiteoutMode.Overlay, trickle: true));
    }

    [Fact]
    public async Task Trailing_bytes_after_the_end_blocks_are_kept()
    {
        var tar = (await TarBuilder.WriteAsync(TarBuilder.File("a", "x"))).Concat(new byte[10240]).ToArray();
        Assert.Equal(tar, await RoundTripAsync(tar, WhiteoutMode.Overlay));
    }
}
