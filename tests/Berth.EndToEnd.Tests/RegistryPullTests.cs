using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker pull</c> from a registry over plain HTTP on loopback.</summary>
public sealed class RegistryPullTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;
    private string Registry => fixture.Registry.Host;

    /// <summary>Removes the busybox image, whatever its names, so that a pull downloads it again.</summary>
    private async Task RemoveBusyboxAsync() => await Daemon.DockerAsync("rmi", "-f", await TestImages.BusyboxIdAsync());

    [Fact]
    public async Task Pull_run_and_pull_again()
    {
        await RemoveBusyboxAsync();
        var name = $"{Registry}/test/busybox:v1";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains("v1: Pulling from test/busybox", pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Matches(@"Digest: sha256:[0-9a-f]{64}", pull.Stdout);
        Assert.Contains($"Status: Downloaded newer image for {name}", pull.Stdout);
        var digest = System.Text.RegularExpressions.Regex.Match(pull.Stdout, @"Digest: (sha256:[0-9a-f]{64})").Groups[1].Value;

        // The image ID is the configuration's digest, the same as when the archive is loaded.
        var inspect = (await Daemon.DockerAsync("image", "inspect", name)).AssertSuccess();
        using (var doc = JsonDocument.Parse(inspect.Stdout))
        {
            var image = doc.RootElement[0];
            Assert.Equal(await TestImages.BusyboxIdAsync(), image.GetProperty("Id").GetString());
            Assert.Contains($"{Registry}/test/busybox@{digest}", image.GetProperty("RepoDigests").EnumerateArray().Select(d => d.GetString()));
        }

        var images = (await Daemon.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}")).AssertSuccess();
        Assert.Contains($"{Registry}/test/busybox v1 {digest}", images.Lines);

        Assert.Equal("hello\n", (await Daemon.DockerAsync("run", "--rm", name, "echo", "hello")).AssertSuccess().Stdout);

        var again = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains("Already exists", again.Stdout);
        Assert.Contains($"Status: Image is up to date for {name}", again.Stdout);

        var byDigest = (await Daemon.DockerAsync("pull", $"{Registry}/test/busybox@{digest}")).AssertSuccess();
        Assert.Contains($"Status: Image is up to date for {Registry}/test/busybox@{digest}", byDigest.Stdout);
    }

    [Fact]
    public async Task From_a_multi_platform_index_the_hosts_image_is_pulled()
    {
        // An OCI layout with busybox for this host's architecture and the four-layer image for another, behind one index.
        var hostArchitecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var otherArchitecture = hostArchitecture == "arm64" ? "amd64" : "arm64";
        var layout = Path.Combine(Daemon.Root, "multi-layout");
        (await Processes.RunAsync("skopeo", "--insecure-policy", "copy", $"docker-archive:{await TestImages.BusyboxArchiveAsync()}", $"oci:{layout}:host")).AssertSuccess();
        (await Processes.RunAsync("skopeo", "--insecure-policy", "copy", $"docker-archive:{Path.Combine(Daemon.Root, "layers.tar")}", $"oci:{layout}:other")).AssertSuccess();
        var entries = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")))!["manifests"]!.AsArray();
        var host = entries.First(e => e!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == "host")!;
        var other = entries.First(e => e!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>() == "other")!;
        var platforms = new JsonArray(Entry(other, otherArchitecture), Entry(host, hostArchitecture));
        var index = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = platforms,
        });
        var indexDigest = Berth.Images.Digests.Digest.Sha256(index);
        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", indexDigest.Hex), index);
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = "application/vnd.oci.image.index.v1+json",
                ["digest"] = indexDigest.ToString(),
                ["size"] = index.Length,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = "multi" },
            }),
        }.ToJsonString());
        await fixture.Registry.PushAsync($"oci:{layout}:multi", "test/multi:v1", "--all");

        var name = $"{Registry}/test/multi:v1";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains($"Digest: {indexDigest}", pull.Stdout);
        // busybox has one layer, the other platform's image four; the digest recorded is the index's, as dockerd records it.
        var layers = (await Daemon.DockerAsync("image", "inspect", "--format", "{{len .RootFS.Layers}}", name)).AssertSuccess();
        Assert.Equal("1\n", layers.Stdout);
        var digests = (await Daemon.DockerAsync("image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", name)).AssertSuccess();
        Assert.Contains($"{Registry}/test/multi@{indexDigest}", digests.Lines);
        Assert.Equal("multi\n", (await Daemon.DockerAsync("run", "--rm", name, "echo", "multi")).AssertSuccess().Stdout);
    }

    /// <summary>The descriptor of <paramref name="manifest"/> for one platform.</summary>
    private static JsonObject Entry(JsonNode manifest, string architecture) =>
        new()
        {
            ["mediaType"] = manifest["mediaType"]!.GetValue<string>(),
            ["digest"] = manifest["digest"]!.GetValue<string>(),
            ["size"] = manifest["size"]!.GetValue<long>(),
            ["platform"] = new JsonObject { ["architecture"] = architecture, ["os"] = "linux" },
        };

    [Fact]
    public async Task An_oci_manifest_pulls()
    {
        var name = $"{Registry}/test/busybox:oci";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Contains($"{name}", pull.Stdout);
        Assert.Equal("oci\n", (await Daemon.DockerAsync("run", "--rm", name, "echo", "oci")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Pull_all_tags_pulls_each_tag_the_registry_lists()
    {
        await fixture.PushLayeredAsync("test/alltags:one", "alltags-one");
        await fixture.PushLayeredAsync("test/alltags:two", "alltags-two");
        var name = $"{Registry}/test/alltags";

        var pull = (await Daemon.DockerAsync("pull", "-a", name)).AssertSuccess();
        Assert.Contains("one: Pulling from test/alltags", pull.Stdout);
        Assert.Contains("two: Pulling from test/alltags", pull.Stdout);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(pull.Stdout, @"Digest: sha256:[0-9a-f]{64}").Count);
        Assert.Contains($"Status: Downloaded newer image for {name}\n", pull.Stdout);
        var tags = (await Daemon.DockerAsync("images", name, "--format", "{{.Tag}}")).AssertSuccess().Lines.Order();
        Assert.Equal(["one", "two"], tags);

        var again = (await Daemon.DockerAsync("pull", "--all-tags", name)).AssertSuccess();
        Assert.Contains($"Status: Image is up to date for {name}\n", again.Stdout);
    }

    [Fact]
    public async Task An_unknown_tag_fails_with_dockerds_message()
    {
        var pull = await Daemon.DockerAsync("pull", $"{Registry}/test/busybox:nosuch");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"manifest for {Registry}/test/busybox:nosuch not found: manifest unknown: manifest unknown", pull.Stderr);
        var images = (await Daemon.DockerAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess();
        Assert.DoesNotContain($"{Registry}/test/busybox:nosuch", images.Lines);
    }

    [Fact]
    public async Task An_unknown_repository_is_not_found()
    {
        var pull = await Daemon.DockerAsync("pull", $"{Registry}/nosuch");
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Matches($@"(manifest for {Registry}/nosuch:latest|repository {Registry}/nosuch) not found", pull.Stderr);
    }

    [Fact]
    public async Task The_progress_stream_is_dockerds()
    {
        await RemoveBusyboxAsync();
        var result = (await Processes.RunAsync("curl", "-sf", "--unix-socket", Daemon.Socket, "-X", "POST",
            $"http://localhost/v1.47/images/create?fromImage={Registry}/test/busybox&tag=v1")).AssertSuccess();
        var messages = result.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string? Status(JsonElement m) => m.TryGetProperty("status", out var s) ? s.GetString() : null;
        Assert.Equal("Pulling from test/busybox", Status(messages[0]));
        Assert.Equal("v1", messages[0].GetProperty("id").GetString());
        var layerId = messages[1].GetProperty("id").GetString()!;
        Assert.Equal(12, layerId.Length);
        var statuses = messages.Where(m => m.TryGetProperty("id", out var id) && id.GetString() == layerId).Select(Status).Distinct().ToList();
        Assert.Equal(["Pulling fs layer", "Downloading", "Verifying Checksum", "Download complete", "Extracting", "Pull complete"], statuses);
        var downloading = messages.Last(m => Status(m) == "Downloading").GetProperty("progressDetail");
        Assert.True(downloading.GetProperty("total").GetInt64() > 0);
        Assert.StartsWith("Digest: sha256:", Status(messages[^2]));
        Assert.Equal($"Status: Downloaded newer image for {Registry}/test/busybox:v1", Status(messages[^1]));
    }

    [Fact]
    public async Task A_layered_image_is_pulled_in_order_and_nothing_is_left_in_the_temporary_directory()
    {
        var name = $"{Registry}/test/layers:v1";
        var pull = (await Daemon.DockerAsync("pull", name)).AssertSuccess();
        Assert.Equal(4, pull.Lines.Count(l => l.EndsWith(": Pull complete", StringComparison.Ordinal)));
        var inspect = (await Daemon.DockerAsync("image", "inspect", "--format", "{{len .RootFS.Layers}}", name)).AssertSuccess();
        Assert.Equal("4\n", inspect.Stdout);
        AssertNoTemporaryFiles();
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_digest_leaves_no_image()
    {
        var layers = await fixture.Registry.LayerDigestsAsync("test/corrupt", "v1");
        await fixture.Registry.CorruptBlobAsync(layers[^1]);
        var name = $"{Registry}/test/corrupt:v1";
        var pull = await Daemon.DockerAsync("pull", name);
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains($"digest mismatch: expected {layers[^1]}", pull.Stderr);
        var images = (await Daemon.DockerAsync("images", "--format", "{{.Repository}}")).AssertSuccess();
        Assert.DoesNotContain($"{Registry}/test/corrupt", images.Lines);
        AssertNoTemporaryFiles();
    }

    private void AssertNoTemporaryFiles()
    {
        var tmp = Path.Combine(Daemon.DataRoot, "tmp");
        if (Directory.Exists(tmp)) Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }
}
