using Berth.Api.Errors;

namespace Berth.Dockerfile.Tests;

public class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.go", "a.go", true)]
    [InlineData("*.go", "dir/a.go", false)]
    [InlineData("**/*.go", "a.go", true)]
    [InlineData("**/*.go", "x/y/a.go", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("dir", "dir/sub/file", true)]
    [InlineData("dir", "dirt", false)]
    [InlineData("/dir/", "dir/file", true)]
    [InlineData("./dir/../other", "other/x", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("file[0-9].txt", "file3.txt", true)]
    [InlineData("file[0-9].txt", "fileX.txt", false)]
    [InlineData("[^a]*", "bcd", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("x/**/y", "x/y", true)]
    [InlineData("x/**/y", "x/1/2/y", true)]
    [InlineData("*/tmp", "a/tmp/file", true)]
    [InlineData("*/tmp", "a/b/tmp", false)]
    [InlineData("  spaced  ", "spaced", true)]
    [InlineData("Dockerfile", "./Dockerfile", true)]
    [InlineData("Dockerfile", "/Dockerfile", true)]
    public void One_pattern(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).Excludes(path));

    [Fact]
    public void The_last_matching_pattern_wins_and_exceptions_re_include()
    {
        var ignore = DockerIgnore.Parse("# comment\n*.md\n!README.md\n\n  # not a comment once indented\nlogs/\n!logs/keep.log\nlogs/keep.log.*\n");
        Assert.True(ignore.Excludes("CHANGES.md"));
        Assert.False(ignore.Excludes("README.md"));
        Assert.True(ignore.Excludes("logs/a.log"));
        Assert.False(ignore.Excludes("logs/keep.log"));
        Assert.True(ignore.Excludes("logs/keep.log.1"));
        Assert.True(ignore.Excludes("# not a comment once indented"));
        Assert.False(ignore.Excludes("src/main.c"));
        Assert.Equal(["*.md", "!README.md", "# not a comment once indented", "logs", "!logs/keep.log", "logs/keep.log.*"], ignore.Patterns);
    }

    [Fact]
    public void Byte_order_mark_and_crlf_are_ignored()
    {
        var ignore = DockerIgnore.Parse("\uFEFFa\r\nb\r\n");
        Assert.True(ignore.Excludes("a"));
        Assert.True(ignore.Excludes("b"));
    }

    [Fact]
    public void Excluded_directories_are_walked_only_for_exceptions_that_name_them()
    {
        var ignore = DockerIgnore.Parse("vendor\n!vendor/keep\nbuild\n!**/keep\n");
        Assert.True(ignore.MayIncludeUnder("vendor"));
        Assert.True(ignore.MayIncludeUnder("./vendor/"));
        Assert.False(ignore.MayIncludeUnder("build"));
        Assert.False(ignore.MayIncludeUnder("vend"));
        Assert.False(DockerIgnore.Parse("vendor\n").MayIncludeUnder("vendor"));
    }

    [Fact]
    public void Build_files_that_a_pattern_excludes()
    {
        Assert.Equal([".dockerignore", "Dockerfile"], DockerIgnore.Parse("*\n").ExcludedBuildFiles("Dockerfile"));
        Assert.Equal(["docker/Dockerfile.dev"], DockerIgnore.Parse("docker\n").ExcludedBuildFiles("docker/Dockerfile.dev"));
        Assert.Empty(DockerIgnore.Parse("*.md\n").ExcludedBuildFiles("Dockerfile"));
    }

    /// <summary>Recorded from dockerd 20.10: which of the two build files it dropped from the context (COPY . /ctx/ then listing the image).</summary>
    [Theory]
    [InlineData("Dock*", "Dockerfile")]
    [InlineData("*file", "Dockerfile")]
    [InlineData("D?ckerfile", "Dockerfile")]
    [InlineData("[D]ockerfile", "Dockerfile")]
    [InlineData("[^x]ockerfile", "Dockerfile")]
    [InlineData("**", ".dockerignore Dockerfile")]
    [InlineData("**/Dockerfile", "Dockerfile")]
    [InlineData("./Dockerfile", "Dockerfile")]
    [InlineData("/Dockerfile", "Dockerfile")]
    [InlineData("Dockerfile/", "Dockerfile")]
    [InlineData("  Dockerfile  ", "Dockerfile")]
    [InlineData("x/../Dockerfile", "Dockerfile")]
    [InlineData("#Dockerfile", "")]
    [InlineData("Docker\\file", "")]
    [InlineData(".docker*", ".dockerignore")]
    [InlineData("*\n!Dockerfile", ".dockerignore")]
    [InlineData("Dockerfile\n!*", "")]
    [InlineData(".*", ".dockerignore")]
    [InlineData("**/.dockerignore", ".dockerignore")]
    [InlineData("*ignore", ".dockerignore")]
    public void Build_files_dropped_as_dockerd_drops_them(string dockerignore, string dropped) =>
        Assert.Equal(dropped, string.Join(' ', DockerIgnore.Parse(dockerignore + "\n").ExcludedBuildFiles("Dockerfile")));

    [Theory]
    [InlineData("!", "illegal exclusion pattern: \"!\"")]
    [InlineData("! ", "illegal exclusion pattern: \"!\"")]
    [InlineData("a[", "syntax error in pattern")]
    [InlineData("a[]b", "syntax error in pattern")]
    [InlineData("a\\", "syntax error in pattern")]
    public void Malformed_patterns(string pattern, string message)
    {
        var e = Assert.Throws<BerthException>(() => DockerIgnore.Parse(pattern));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Equal(message, e.Message);
    }
}
