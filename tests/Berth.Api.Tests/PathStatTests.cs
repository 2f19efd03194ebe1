using Berth.Api.Wire.Containers;

namespace Berth.Api.Tests;

public class PathStatTests
{
    [Theory]
    [InlineData(0x81a4u, 420u)]                 // -rw-r--r--
    [InlineData(0x41edu, 2147484141u)]          // drwxr-xr-x: ModeDir | 0755
    [InlineData(0xa1ffu, 134218239u)]           // lrwxrwxrwx: ModeSymlink | 0777
    [InlineData(0x89edu, 0x9edu & 0x1ff | GoFileMode.Setuid)] // -rwsr-xr-x
    [InlineData(0x43ffu, GoFileMode.Dir | GoFileMode.Sticky | 0x1ff)] // drwxrwxrwt
    [InlineData(0x21b6u, GoFileMode.Device | GoFileMode.CharDevice | 0x1b6)]
    [InlineData(0x11a4u, GoFileMode.NamedPipe | 0x1a4)]
    public void Unix_modes_become_go_file_modes(uint unix, uint go) => Assert.Equal(go, GoFileMode.FromUnix(unix));

    [Fact]
    public void The_header_is_base64_of_dockerds_json()
    {
        var stat = new ContainerPathStat { Name = "f.txt", Size = 6, Mode = 420, Mtime = GoTime.FormatUnix(1_795_333_827, 36_270_970), LinkTarget = "" };
        var header = PathStatHeader.Encode(stat);
        // The value dockerd 20.10 sent for the same file (docs/oracle/dockerd-containers.md, "Archive API").
        Assert.Equal("eyJuYW1lIjoiZi50eHQiLCJzaXplIjo2LCJtb2RlIjo0MjAsIm10aW1lIjoiMjAyNi0xMS0yMlQwNzo1MDoyNy4wMzYyNzA5N1oiLCJsaW5rVGFyZ2V0IjoiIn0=", header);
        Assert.Equal("link", PathStatHeader.Decode(PathStatHeader.Encode(new ContainerPathStat { Name = "link" }))!.Name);
    }

    [Theory]
    [InlineData(0u, "2026-11-22T07:50:27Z")]
    [InlineData(500_000_000u, "2026-11-22T07:50:27.5Z")]
    [InlineData(1u, "2026-11-22T07:50:27.000000001Z")]
    public void Unix_times_keep_their_nanoseconds(uint nanos, string expected) => Assert.Equal(expected, GoTime.FormatUnix(1_795_333_827, nanos));
}
