using Berth.Api.Errors;
using Berth.Images.References;

namespace Berth.Images.Tests;

public class ReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io/library/busybox", "busybox")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox", "busybox")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox", "busybox")]
    [InlineData("index.docker.io/library/busybox", "docker.io/library/busybox", "busybox")]
    [InlineData("user/app:v1", "docker.io/user/app:v1", "user/app:v1")]
    [InlineData("localhost/app", "localhost/app", "localhost/app")]
    [InlineData("localhost:5000/a/b:tag", "localhost:5000/a/b:tag", "localhost:5000/a/b:tag")]
    [InlineData("registry.example.com/team/app", "registry.example.com/team/app", "registry.example.com/team/app")]
    [InlineData("127.0.0.1:5000/x@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "127.0.0.1:5000/x@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "127.0.0.1:5000/x@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void Normalizes_like_docker(string input, string full, string familiar)
    {
        var reference = ImageReference.ParseNormalized(input);
        Assert.Equal(full, reference.ToString());
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Fact]
    public void Bare_names_get_latest_only_when_asked()
    {
        var reference = ImageReference.ParseNormalized("busybox");
        Assert.True(reference.IsNameOnly);
        Assert.Equal("docker.io/library/busybox:latest", reference.WithDefaultTag().ToString());
        Assert.Equal("busybox:latest", reference.WithDefaultTag().FamiliarString);
    }

    [Theory]
    [InlineData("Busybox", "invalid reference format: repository name must be lowercase")]
    [InlineData("Busybox:UPPER", "invalid reference format: repository name must be lowercase")]
    [InlineData("a:b:c", "invalid reference format")]
    [InlineData("-leading", "invalid reference format")]
    [InlineData("busybox:", "invalid reference format")]
    [InlineData("", "invalid reference format")]
    [InlineData("4e2f1bdf8c2dc9e0f8f41c4fa5f6a7dd4db8e5a6f2c25e0ab6c0bde9cc4fcf5b",
        "invalid repository name (4e2f1bdf8c2dc9e0f8f41c4fa5f6a7dd4db8e5a6f2c25e0ab6c0bde9cc4fcf5b), cannot specify 64-byte hexadecimal strings")]
    public void Refuses_invalid_references_with_dockers_wording(string input, string message)
    {
        var e = Assert.Throws<BerthException>(() => ImageReference.ParseNormalized(input));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Tags_may_have_upper_case_but_repositories_may_not()
    {
        Assert.Equal("busybox:UPPER", ImageReference.ParseNormalized("busybox:UPPER").FamiliarString);
    }

    [Fact]
    public void Names_longer_than_255_characters_are_refused()
    {
        var e = Assert.Throws<BerthException>(() => ImageReference.ParseNormalized("a/" + new string('b', 260)));
        Assert.Contains("must not be more than 255 characters", e.Message);
    }

    [Theory]
    [InlineData("busy*", "busybox:latest", true)]
    [InlineData("busy*", "busybox", true)]
    [InlineData("*", "foo/bar:1", false)]
    [InlineData("*/*", "foo/bar:1", true)]
    [InlineData("foo/ba?:1", "foo/bar:1", true)]
    [InlineData("[a-c]usybox", "busybox", true)]
    [InlineData("[^a-c]usybox", "busybox", false)]
    [InlineData("busybox:1.*", "busybox:1.36", true)]
    [InlineData("\\*", "*", true)]
    public void Shell_patterns_match_as_go_path_match(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GoPathMatch.IsMatch(pattern, name));

    [Fact]
    public void A_malformed_pattern_is_an_error() =>
        Assert.Throws<ArgumentException>(() => GoPathMatch.IsMatch("[", "a"));
}
