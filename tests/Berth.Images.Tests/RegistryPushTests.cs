using System.IO.Compression;
using System.Net;
using System.Text;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.Registry;
using Berth.Images.Snapshots;

namespace Berth.Images.Tests;

public class RegistryPushTests
{
    /// <summary>A manifest dockerd 20.10 pushed (a busybox layer and a 3 MB one), as the registry stored it.</summary>
    private const string DockerdManifest = """
{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 1464,
      "digest": "sha256:cb0260c02a33eecefa1a72b5f96c6c5648b4fd5debc72cc017128ac2c4a2c0ce"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 1069011,
         "digest": "sha256:0f3cbe766e52b6c8706b2879de699f7e85cdd977cbb41cceb4adf7f5d71b65cd"
      },
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 3001224,
         "digest": "sha256:b1d5c6b8c26e1b7cb2089e218031872f7d0a85377e2356e66dbb3def6af9f37a"
      }
   ]
}
""";

    [Fact]
    public void The_manifest_is_written_byte_for_byte_as_dockerd_writes_it()
    {
        var manifest = PushedManifest.Build(
            new PushedBlob(Digest.Parse("sha256:cb0260c02a33eecefa1a72b5f96c6c5648b4fd5debc72cc017128ac2c4a2c0ce"), 1464),
            [
                new PushedBlob(Digest.Parse("sha256:0f3cbe766e52b6c8706b2879de699f7e85cdd977cbb41cceb4adf7f5d71b65cd"), 1069011),
                new PushedBlob(Digest.Parse("sha256:b1d5c6b8c26e1b7cb2089e218031872f7d0a85377e2356e66dbb3def6af9f37a"), 3001224),
            ]);
        Assert.Equal(DockerdManifest, Encoding.UTF8.GetString(manifest));
        Assert.Equal("sha256:b6f50b3798141f92b7014b9755fbdef7d6057546f041e8a6ec2bcbce3e2a9fc1", Digest.Sha256(manifest).ToString());
    }

    [Fact]
    public async Task A_layer_blob_is_the_gzip_of_the_exact_layer_tar_and_its_digest_is_computed_while_sent()
    {
        using var dir = new TempDirectory();
        var layers = await LayerStore.OpenAsync(dir.Combine("layerdb"), new VfsSnapshotter(dir.Combine("vfs")), CancellationToken.None);
        var random = new byte[300_000];
        new Random(7).NextBytes(random);
        var tar = await TarBuilder.WriteAsync(TarBuilder.Dir("data"), TarBuilder.File("data/random", random), TarBuilder.File("data/text", "hello"));
        var layer = await layers.RegisterAsync(new MemoryStream(tar), null, Digest.Sha256(tar), CancellationToken.None);
        var reported = new List<long>();

        using var content = new LayerBlobContent(layers, layer, current => { reported.Add(current); return Task.CompletedTask; });
        var sent = new MemoryStream();
        await content.CopyToAsync(sent);

        var blob = sent.ToArray();
        Assert.Equal(Digest.Sha256(blob), content.Digest);
        Assert.Equal(blob.Length, content.CompressedSize);
        var unpacked = new MemoryStream();
        await using (var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress))
            await gzip.CopyToAsync(unpacked);
        Assert.Equal(tar, unpacked.ToArray());
        Assert.Equal(tar.Length, reported[^1]);
    }

    [Fact]
    public void Distribution_sources_are_kept_per_layer_most_recent_last_and_survive_a_restart()
    {
        using var dir = new TempDirectory();
        var diffId = Digest.Sha256("layer"u8);
        var blob = Digest.Sha256("blob"u8);
        var metadata = new DistributionMetadata(dir.Combine("distribution"));
        Assert.Empty(metadata.SourcesOf(diffId));

        metadata.Add(diffId, blob, "127.0.0.1:5000/a");
        metadata.Add(diffId, blob, "127.0.0.1:5000/b");
        metadata.Add(diffId, blob, "127.0.0.1:5000/a");

        var reopened = new DistributionMetadata(dir.Combine("distribution"));
        Assert.Equal(["127.0.0.1:5000/b", "127.0.0.1:5000/a"], reopened.SourcesOf(diffId).Select(s => s.SourceRepository));
        Assert.All(reopened.SourcesOf(diffId), s => Assert.Equal(blob.ToString(), s.Digest));
        Assert.Equal(diffId.ToString(), File.ReadAllText(dir.Combine("distribution", "diffid-by-digest", "sha256", blob.Hex)));
    }

    [Fact]
    public void A_registry_error_body_is_reported_as_its_first_error()
    {
        var e = PushFailures.ForStatus(HttpStatusCode.Forbidden,
            """{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"""u8.ToArray());
        Assert.Equal("denied: requested access to the resource is denied", e.Message);
    }

    [Fact]
    public void A_body_that_is_not_a_registry_error_is_quoted_as_dockerd_quotes_it()
    {
        var e = PushFailures.ForStatus(HttpStatusCode.MethodNotAllowed, "Method not allowed\n"u8.ToArray());
        Assert.Equal("error parsing HTTP 405 response body: invalid character 'M' looking for beginning of value: \"Method not allowed\\n\"", e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/a", "v1", "127.0.0.1:5000/a:v1")]
    [InlineData("127.0.0.1:5000/a:old", "v1", "127.0.0.1:5000/a:v1")]
    [InlineData("127.0.0.1:5000/a:old", "", "127.0.0.1:5000/a:old")]
    [InlineData("127.0.0.1:5000/a", "", "127.0.0.1:5000/a")]
    [InlineData("busybox", null, "docker.io/library/busybox")]
    public void Name_and_tag_make_the_reference_to_push(string name, string? tag, string expected)
    {
        Assert.Equal(expected, PushReference.Of(name, tag).ToString());
    }

    [Fact]
    public void A_digest_cannot_be_pushed()
    {
        var e = Assert.Throws<BerthException>(() => PushReference.Of("127.0.0.1:5000/a", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
    }
}
