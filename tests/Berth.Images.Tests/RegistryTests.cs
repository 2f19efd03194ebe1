using System.Net;
using System.Text;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Registry;
using Berth.Images.Transfer;

namespace Berth.Images.Tests;

public class RegistryTests
{
    [Theory]
    [InlineData("busybox", "https://registry-1.docker.io/v2/library/busybox/manifests/latest")]
    [InlineData("user/app:v2", "https://registry-1.docker.io/v2/user/app/manifests/v2")]
    [InlineData("127.0.0.1:5000/test/busybox:v1", "http://127.0.0.1:5000/v2/test/busybox/manifests/v1")]
    [InlineData("127.3.4.5/x", "http://127.3.4.5/v2/x/manifests/latest")]
    [InlineData("localhost:5000/a/b", "http://localhost:5000/v2/a/b/manifests/latest")]
    [InlineData("localhost/a", "http://localhost/v2/a/manifests/latest")]
    [InlineData("[::1]:5000/a", "http://[::1]:5000/v2/a/manifests/latest")]
    [InlineData("10.0.0.1:5000/a", "https://10.0.0.1:5000/v2/a/manifests/latest")]
    [InlineData("registry.example.com/team/app:1", "https://registry.example.com/v2/team/app/manifests/1")]
    public void References_map_to_registry_urls(string text, string manifestUrl)
    {
        var reference = ImageReference.ParseNormalized(text).WithDefaultTag();
        Assert.Equal(manifestUrl, RegistryRepository.For(reference).ManifestUri(reference.Tag!).ToString());
    }

    [Fact]
    public void Blob_urls_name_the_digest()
    {
        var digest = Digest.Sha256("x"u8);
        var repository = RegistryRepository.For(ImageReference.ParseNormalized("127.0.0.1:5000/a/b"));
        Assert.Equal($"http://127.0.0.1:5000/v2/a/b/blobs/{digest}", repository.BlobUri(digest).ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:5000/a", "v1", "127.0.0.1:5000/a:v1")]
    [InlineData("127.0.0.1:5000/a:old", "v1", "127.0.0.1:5000/a:v1")]
    [InlineData("busybox:1.36", null, "docker.io/library/busybox:1.36")]
    [InlineData("127.0.0.1:5000/a", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "127.0.0.1:5000/a@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void FromImage_and_tag_make_one_reference(string fromImage, string? tag, string expected)
    {
        Assert.Equal(expected, PullReference.Of(fromImage, tag).ToString());
    }

    [Fact]
    public void A_name_without_a_tag_means_every_tag()
    {
        Assert.True(PullReference.Of("127.0.0.1:5000/a", "").IsNameOnly);
        Assert.True(PullReference.Of("127.0.0.1:5000/a", null).IsNameOnly);
        Assert.Equal("v1", PullReference.Of("127.0.0.1:5000/a", "v1").Tag);
    }

    [Fact]
    public void Only_the_hosts_platform_can_be_asked_for()
    {
        PullPlatform.EnsureHost(null);
        PullPlatform.EnsureHost("");
        PullPlatform.EnsureHost("linux");
        PullPlatform.EnsureHost($"linux/{Berth.Api.HostPlatform.Architecture}");
        var e = Assert.Throws<BerthException>(() => PullPlatform.EnsureHost("linux/s390x"));
        Assert.Equal(ErrorKind.NotImplemented, e.Kind);
        Assert.Throws<BerthException>(() => PullPlatform.EnsureHost("windows/amd64"));
    }

    private static OciIndex Index(params (string Os, string Arch, string? Variant)[] platforms) => new()
    {
        Manifests = platforms.Select((p, i) => new OciDescriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = Digest.Sha256([(byte)i]).ToString(),
            Platform = new OciPlatform { Os = p.Os, Architecture = p.Arch, Variant = p.Variant },
        }).ToList(),
    };

    [Theory]
    [InlineData("amd64", 1)]
    [InlineData("arm64", 3)]
    [InlineData("arm", 2)]
    public void The_host_platform_is_picked_from_an_index(string architecture, int expected)
    {
        var index = Index(("unknown", "unknown", null), ("linux", "amd64", null), ("linux", "arm", "v7"), ("linux", "arm64", "v8"), ("windows", "amd64", null));
        Assert.Equal(index.Manifests[expected].Digest, PlatformSelector.Select(index, "linux", architecture).Digest);
    }

    [Fact]
    public void An_index_without_the_host_platform_is_refused_in_dockerds_words()
    {
        var index = Index(("linux", "arm64", "v8"));
        var e = Assert.Throws<BerthException>(() => PlatformSelector.Select(index, "linux", "amd64"));
        Assert.Equal("no matching manifest for linux/amd64 in the manifest list entries", e.Message);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task A_blob_that_does_not_match_its_digest_is_refused()
    {
        var expected = Digest.Sha256("the real config"u8);
        var client = new RegistryClient(new HttpClient(new FixedResponses(_ => (HttpStatusCode.OK, "tampered", null))));
        var repository = RegistryRepository.For(ImageReference.ParseNormalized("127.0.0.1:5000/a"));
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => client.GetSmallBlobAsync(repository, expected, 1024, CancellationToken.None));
        Assert.Equal(expected, e.Expected);
        Assert.Equal(Digest.Sha256("tampered"u8), e.Actual);
    }

    [Fact]
    public async Task A_manifest_pulled_by_digest_must_match_it()
    {
        var asked = Digest.Sha256("another manifest"u8);
        var client = new RegistryClient(new HttpClient(new FixedResponses(_ => (HttpStatusCode.OK, "{}", MediaTypes.OciManifest))));
        var reference = ImageReference.ParseNormalized("127.0.0.1:5000/a").WithDigest(asked);
        await Assert.ThrowsAsync<DigestMismatchException>(() => client.GetManifestAsync(RegistryRepository.For(reference), reference, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nosuch"}}]}""",
        "manifest for 127.0.0.1:5000/nosuch:latest not found: manifest unknown: manifest unknown")]
    [InlineData("""{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}""",
        "repository 127.0.0.1:5000/nosuch not found: name unknown: repository name not known to registry")]
    [InlineData("not json", "manifest for 127.0.0.1:5000/nosuch:latest not found: manifest unknown: manifest unknown")]
    public async Task An_unknown_manifest_is_not_found_in_dockerds_words(string body, string message)
    {
        var client = new RegistryClient(new HttpClient(new FixedResponses(_ => (HttpStatusCode.NotFound, body, "application/json"))));
        var reference = ImageReference.ParseNormalized("127.0.0.1:5000/nosuch:latest");
        var e = await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(RegistryRepository.For(reference), reference, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task Manifests_are_asked_for_in_every_format_berth_reads()
    {
        HttpRequestMessage? seen = null;
        var client = new RegistryClient(new HttpClient(new FixedResponses(r =>
        {
            seen = r;
            return (HttpStatusCode.OK, "{}", MediaTypes.DockerManifest);
        })));
        var reference = ImageReference.ParseNormalized("127.0.0.1:5000/a:v1");
        var manifest = await client.GetManifestAsync(RegistryRepository.For(reference), reference, CancellationToken.None);
        Assert.Equal(Digest.Sha256("{}"u8), manifest.Digest);
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        var accepted = seen!.Headers.Accept.Select(a => a.MediaType).ToList();
        Assert.Equal([MediaTypes.DockerManifest, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.OciIndex], accepted);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd", "layers compressed with zstd are not supported yet")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", null)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", null)]
    [InlineData("application/vnd.oci.image.layer.v1.tar", null)]
    public void Layer_media_types(string mediaType, string? refusal)
    {
        Assert.Equal(refusal, RegistryMediaTypes.UnsupportedLayerReason(mediaType));
    }

    private sealed class FixedResponses(Func<HttpRequestMessage, (HttpStatusCode Status, string Body, string? ContentType)> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var (status, body, contentType) = respond(request);
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return Task.FromResult(new HttpResponseMessage(status) { Content = content });
        }
    }
}
