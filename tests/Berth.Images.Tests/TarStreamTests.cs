using System.Text;
using Berth.Images.Archive.Tar;

namespace Berth.Images.Tests;

public class TarStreamTests
{
    private static async Task<List<(TarHeader Header, byte[] Content)>> ReadAllAsync(byte[] tar)
    {
        var reader = new TarStreamReader(new MemoryStream(tar));
        var entries = new List<(TarHeader, byte[])>();
        while (await reader.NextAsync() is { } header)
        {
            var content = new MemoryStream();
            await reader.CopyContentToAsync(content);
            entries.Add((header, content.ToArray()));
        }
        return entries;
    }

    [Fact]
    public async Task Headers_that_need_pax_survive_a_round_trip()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-name", 25)) + "/file";
        var capability = new byte[] { 0x01, 0x00, 0x00, 0x02, 0x80, 0x20, 0x00, 0x00, 0xff, 0xfe };
        var header = new TarHeader
        {
            Name = longName,
            Kind = TarEntryKind.Regular,
            Mode = 0x9ed, // 04755
            Uid = 3_000_000,
            Gid = 42,
            UserName = "ünïcode",
            ModTime = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
        };
        header.Xattrs["security.capability"] = capability;
        var link = new TarHeader { Name = "ñame-link", Kind = TarEntryKind.Symlink, LinkName = new string('t', 150) };
        var tar = await TarBuilder.WriteAsync((header, "content"u8.ToArray()), (link, null));

        var entries = await ReadAllAsync(tar);
        Assert.Equal(2, entries.Count);
        var (read, content) = entries[0];
        Assert.Equal(longName, read.Name);
        Assert.Equal(0x9ed, read.Mode);
        Assert.Equal(3_000_000, read.Uid);
        Assert.Equal(42, read.Gid);
        Assert.Equal("ünïcode", read.UserName);
        Assert.Equal(header.ModTime, read.ModTime);
        Assert.Equal(capability, read.Xattrs["security.capability"]);
        Assert.Equal("content", Encoding.UTF8.GetString(content));
        Assert.Equal("ñame-link", entries[1].Header.Name);
        Assert.Equal(new string('t', 150), entries[1].Header.LinkName);
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("posix")]
    [InlineData("ustar")]
    public async Task Reads_what_gnu_tar_writes(string format)
    {
        using var dir = new TempDirectory();
        var deep = dir.Combine(string.Join('/', Enumerable.Repeat("deep", 30)));
        Directory.CreateDirectory(format == "ustar" ? dir.Combine("shallow") : deep);
        var target = format == "ustar" ? dir.Combine("shallow", "file.txt") : Path.Combine(deep, "file-with-a-rather-long-name-" + new string('x', 60) + ".txt");
        await File.WriteAllTextAsync(target, "hello gnu tar");
        File.CreateSymbolicLink(dir.Combine("link"), "shallow/file.txt");

        var entries = await ReadAllAsync(await TarBuilder.GnuTarAsync(dir.Path, format));
        var file = entries.Single(e => e.Header.Kind == TarEntryKind.Regular);
        Assert.Equal("./" + Path.GetRelativePath(dir.Path, target), file.Header.Name);
        Assert.Equal("hello gnu tar", Encoding.UTF8.GetString(file.Content));
        Assert.Equal("shallow/file.txt", entries.Single(e => e.Header.Kind == TarEntryKind.Symlink).Header.LinkName);
    }

    [Fact]
    public async Task A_corrupt_header_is_refused()
    {
        var tar = await TarBuilder.WriteAsync(TarBuilder.File("a", "x"));
        tar[10] ^= 0xff;
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(tar));
    }

    [Fact]
    public async Task Every_byte_that_is_not_content_is_reported_as_metadata()
    {
        var tar = await TarBuilder.WriteAsync(TarBuilder.Dir("d"), TarBuilder.File("d/a", "12345"), TarBuilder.File("d/b", ""));
        long metadata = 0;
        var reader = new TarStreamReader(new MemoryStream(tar), bytes => metadata += bytes.Length);
        long content = 0;
        while (await reader.NextAsync() is { } header)
        {
            var sink = new MemoryStream();
            await reader.CopyContentToAsync(sink);
            content += sink.Length;
        }
        Assert.Equal(5, content);
        Assert.Equal(tar.Length, metadata + content);
    }
}
