using Berth.Api.Errors;
using Berth.Images.Digests;

namespace Berth.Images.Tests;

public class DigestTests
{
    [Fact]
    public void Sha256_of_known_content()
    {
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.Sha256("hello"u8).ToString());
    }

    [Theory]
    [InlineData("sha256:abc", "invalid checksum digest length")]
    [InlineData("sha256:ZZf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "invalid checksum digest format")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm")]
    [InlineData("nocolon", "invalid checksum digest format")]
    public void Invalid_digests_are_refused(string text, string message)
    {
        var e = Assert.Throws<BerthException>(() => Digest.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Hashing_stream_counts_and_hashes_what_passes()
    {
        using var stream = new HashingReadStream(new MemoryStream("hello"u8.ToArray()));
        stream.CopyTo(Stream.Null);
        Assert.Equal(5, stream.BytesRead);
        Assert.Equal(Digest.Sha256("hello"u8), stream.Finish());
    }
}
