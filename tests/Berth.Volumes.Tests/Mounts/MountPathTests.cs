using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class MountPathTests
{
    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/../a", "/a")]
    [InlineData("a/../..", "..")]
    [InlineData("./a", "a")]
    [InlineData("a//b", "a/b")]
    public void Clean_is_go_s_path_clean(string path, string cleaned) => Assert.Equal(cleaned, MountPath.Clean(path));
}
