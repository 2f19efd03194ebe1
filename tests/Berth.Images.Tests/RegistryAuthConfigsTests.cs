using System.Text;
using Berth.Images.References;
using Berth.Images.Registry;

namespace Berth.Images.Tests;

/// <summary>The <c>X-Registry-Config</c> header of a build: credentials per registry.</summary>
public sealed class RegistryAuthConfigsTests
{
    private static string Header(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    [Fact]
    public void Each_registry_gets_its_own_credentials_and_others_are_anonymous()
    {
        var configs = RegistryAuthConfigs.FromHeader(Header("""
            {"localhost:5000": {"username": "alice", "password": "a"},
             "https://index.docker.io/v1/": {"auth": "Ym9iOmI="},
             "http://10.0.0.1:443": {"username": "carol", "password": "c"}}
            """));
        Assert.Equal("alice", configs.For(ImageReference.ParseNormalized("localhost:5000/app:v1")).Username);
        var hub = configs.For(ImageReference.ParseNormalized("busybox"));
        Assert.Equal(("bob", "b"), (hub.Username, hub.Password));
        Assert.Equal("carol", configs.For(ImageReference.ParseNormalized("10.0.0.1:443/x")).Username);
        Assert.True(configs.For(ImageReference.ParseNormalized("localhost:5001/app")).IsAnonymous);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("WyJhcnJheSJd")]
    public void A_missing_or_bad_header_means_no_credentials(string? header) =>
        Assert.True(RegistryAuthConfigs.FromHeader(header).For(ImageReference.ParseNormalized("busybox")).IsAnonymous);

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("Localhost:5000", "localhost:5000")]
    [InlineData("https://reg.example:8443/v2/", "reg.example:8443")]
    public void Addresses_are_compared_by_host_and_port(string address, string domain) =>
        Assert.Equal(domain, RegistryAuthConfigs.DomainOf(address));
}
