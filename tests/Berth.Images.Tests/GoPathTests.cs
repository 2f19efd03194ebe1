using Berth.Api;
using Berth.Images.Archive;

namespace Berth.Images.Tests;

public class GoPathTests
{
    [Theory]
    [InlineData("/data/f.txt", "/data/f.txt")]
    [InlineData("data/f.txt", "/data/f.txt")]
    [InlineData("/data/", "/data/")]
    [InlineData("/data/.", "/data/.")]
    [InlineData("/data/./", "/data/./")]
    [InlineData("/", "/")]
    [InlineData("/../etc//passwd", "/etc/passwd")]
    [InlineData("/data/sub/..", "/data")]
    public void Client_paths_become_absolute_and_keep_a_trailing_dot_or_slash(string path, string expected) =>
        Assert.Equal(expected, GoPath.AbsoluteInContainer(path));

    [Theory]
    [InlineData("/data/f.txt", "f.txt")]
    [InlineData("/data/", "data")]
    [InlineData("/data/.", ".")]
    [InlineData("/", "/")]
    [InlineData("", ".")]
    public void Base_is_the_last_element(string path, string expected) => Assert.Equal(expected, GoPath.Base(path));

    [Fact]
    public void Split_keeps_the_slash_with_the_directory()
    {
        Assert.Equal(("/data/", "f.txt"), GoPath.Split("/data/f.txt"));
        Assert.Equal(("/data/", ""), GoPath.Split("/data/"));
    }
}
