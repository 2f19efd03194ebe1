using System.IO.Compression;
using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;
using Berth.Images.Digests;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker load</c> and <c>docker save</c> through the CLI: formats, round trips, and what a loaded image looks like.</summary>
public sealed class ImageLoadSaveTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private string Scratch(string name) => Path.Combine(Daemon.Root, name);

    [Fact]
    public async Task Load_from_file_and_from_stdin_print_the_loaded_tags()
    {
        var archive = await TestImages.BusyboxArchiveAsync();
        Assert.Equal("Loaded image: busybox:latest\n", (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess().Stdout);
        await using var stdin = File.OpenRead(archive);
        Assert.Equal("Loaded image: busybox:latest\n", (await Daemon.DockerAsync(["load"], stdin)).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task A_gzip_archive_loads()
    {
        var gz = Scratch("busybox.tar.gz");
        await using (var input = File.OpenRead(await TestImages.BusyboxArchiveAsync()))
        await using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            await input.CopyToAsync(output);
        Assert.Equal("Loaded image: busybox:latest\n", (await Daemon.DockerAsync("load", "-i", gz)).AssertSuccess().Stdout);
    }

    [Theory]
    [InlineData("xz", "xz")]
    [InlineData("bzip2", "bz2")]
    public async Task Xz_and_bzip2_archives_load(string tool, string extension)
    {
        var compressed = Scratch($"busybox.tar.{extension}");
        var result = await Processes.RunAsync("/bin/sh", "-c", $"{tool} -c < {await TestImages.BusyboxArchiveAsync()} > {compressed}");
        result.AssertSuccess();
        Assert.Equal("Loaded image: busybox:latest\n", (await Daemon.DockerAsync("load", "-i", compressed)).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Loaded_image_inspects_as_dockerd_shows_it()
    {
        var inspect = (await Daemon.DockerAsync("image", "inspect", "busybox")).AssertSuccess();
        using var doc = JsonDocument.Parse(inspect.Stdout);
        var image = doc.RootElement[0];
        Assert.Equal(await TestImages.BusyboxIdAsync(), image.GetProperty("Id").GetString());
        Assert.Contains("busybox:latest", image.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, image.GetProperty("RepoDigests").GetArrayLength());
        Assert.Equal(["sh"], image.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("amd64", image.GetProperty("Architecture").GetString());
        Assert.Equal("linux", image.GetProperty("Os").GetString());
        Assert.Equal("overlay2", image.GetProperty("GraphDriver").GetProperty("Name").GetString());
        var upper = image.GetProperty("GraphDriver").GetProperty("Data").GetProperty("UpperDir").GetString()!;
        Assert.True(File.Exists(Path.Combine(upper, "bin", "busybox")), upper);
        Assert.Equal(1, image.GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        // The size dockerd reports for this layer: the busybox binary, the applet symlinks and /etc files.
        Assert.True(image.GetProperty("Size").GetInt64() > new FileInfo("/bin/busybox").Length);
    }

    [Fact]
    public async Task Save_then_load_gives_back_the_same_images()
    {
        (await Daemon.DockerAsync("tag", "busybox", "roundtrip/one:1")).AssertSuccess();
        (await Daemon.DockerAsync("tag", "busybox", "roundtrip/two:2")).AssertSuccess();
        var archive = Scratch("roundtrip.tar");
        (await Daemon.DockerAsync("save", "-o", archive, "roundtrip/one:1", "roundtrip/two:2")).AssertSuccess();
        Assert.Equal(Convert.ToInt32("600", 8), (int)File.GetUnixFileMode(archive) & 0x1ff);

        // One image, two tags: one config and one layer blob, named by their digests.
        await using (var stream = File.OpenRead(archive))
        {
            var files = await Archives.ReadAsync(stream);
            foreach (var (name, content) in files.Where(f => f.Key.StartsWith("blobs/sha256/", StringComparison.Ordinal)))
                Assert.Equal(name["blobs/sha256/".Length..], Digest.Sha256(content).Hex);
            Assert.Equal(3, files.Keys.Count(k => k.StartsWith("blobs/", StringComparison.Ordinal))); // layer, config, manifest
            using var manifest = JsonDocument.Parse(files["manifest.json"]);
            Assert.Equal(["roundtrip/one:1", "roundtrip/two:2"], manifest.RootElement[0].GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
            Assert.True(files.ContainsKey("index.json") && files.ContainsKey("oci-layout"));
        }

        (await Daemon.DockerAsync("rmi", "roundtrip/one:1", "roundtrip/two:2")).AssertSuccess();
        var loaded = (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess();
        Assert.Equal("Loaded image: roundtrip/one:1\nLoaded image: roundtrip/two:2\n", loaded.Stdout);
        var id = (await Daemon.DockerAsync("image", "inspect", "--format", "{{.Id}}", "roundtrip/two:2")).AssertSuccess();
        Assert.Equal(await TestImages.BusyboxIdAsync(), id.Stdout.Trim());
    }

    [Fact]
    public async Task Saving_the_same_images_twice_gives_the_same_bytes()
    {
        var first = (await Daemon.DockerAsync("save", "-o", Scratch("a.tar"), "busybox")).AssertSuccess();
        var second = (await Daemon.DockerAsync("save", "-o", Scratch("b.tar"), "busybox")).AssertSuccess();
        Assert.Equal(await File.ReadAllBytesAsync(Scratch("a.tar")), await File.ReadAllBytesAsync(Scratch("b.tar")));
    }

    [Fact]
    public async Task Save_to_stdout_streams_the_archive()
    {
        var result = await Processes.RunAsync("/bin/sh", ["-c", $"{TestPaths.DockerCli} save busybox | tar t"],
            new Dictionary<string, string> { ["DOCKER_HOST"] = Daemon.Host, ["DOCKER_CONFIG"] = Daemon.DockerConfig });
        result.AssertSuccess();
        Assert.Contains("manifest.json", result.Lines);
        Assert.Contains("index.json", result.Lines);
    }

    [Fact]
    public async Task An_untagged_save_loads_as_an_image_id()
    {
        var id = await TestImages.BusyboxIdAsync();
        var archive = Scratch("by-id.tar");
        (await Daemon.DockerAsync("save", "-o", archive, id)).AssertSuccess();
        var loaded = (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess();
        Assert.Equal($"Loaded image ID: {id}\n", loaded.Stdout);
    }

    [Fact]
    public async Task An_oci_layout_without_manifest_json_loads_by_its_name_annotations()
    {
        (await Daemon.DockerAsync("tag", "busybox", "oci/layout:v1")).AssertSuccess();
        var archive = Scratch("oci.tar");
        (await Daemon.DockerAsync("save", "-o", archive, "oci/layout:v1")).AssertSuccess();
        var stripped = Scratch("oci-only.tar");
        (await Processes.RunAsync("/bin/sh", "-c", $"mkdir -p {Scratch("oci")} && tar xf {archive} -C {Scratch("oci")} && rm {Scratch("oci")}/manifest.json && tar cf {stripped} -C {Scratch("oci")} .")).AssertSuccess();
        (await Daemon.DockerAsync("rmi", "oci/layout:v1")).AssertSuccess();
        Assert.Equal("Loaded image: oci/layout:v1\n", (await Daemon.DockerAsync("load", "-i", stripped)).AssertSuccess().Stdout);
    }

    [Theory]
    [InlineData("docker-archive", "skopeo/docker-archive:v1")]
    [InlineData("oci-archive", "skopeo/oci-archive:v1")]
    public async Task Archives_written_by_skopeo_load(string transport, string tag)
    {
        var archive = Scratch($"{transport}.tar");
        var destination = transport == "docker-archive" ? $"docker-archive:{archive}:{tag}" : $"oci-archive:{archive}:docker.io/{tag}";
        (await Processes.RunAsync("skopeo", "copy", "-q", $"docker-archive:{await TestImages.BusyboxArchiveAsync()}", destination)).AssertSuccess();
        Assert.Equal($"Loaded image: {tag}\n", (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess().Stdout);
        // Converting to OCI rewrites the configuration (a new image ID) but never the layers.
        const string layers = "{{json .RootFS.Layers}}";
        Assert.Equal((await Daemon.DockerAsync("image", "inspect", "--format", layers, await TestImages.BusyboxIdAsync())).AssertSuccess().Stdout,
            (await Daemon.DockerAsync("image", "inspect", "--format", layers, tag)).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Loading_a_tag_held_by_another_image_moves_it()
    {
        var layer = await Archives.TarAsync(Archives.File("moved", "1"));
        var archive = Scratch("moving.tar");
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync([layer], ["moving:tag"], Archives.Config([layer], cmd: "one")));
        (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess();
        var oldId = (await Daemon.DockerAsync("image", "inspect", "--format", "{{.Id}}", "moving:tag")).AssertSuccess().Stdout.Trim();
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync([layer], ["moving:tag"], Archives.Config([layer], cmd: "two")));
        var loaded = (await Daemon.DockerAsync("load", "-i", archive)).AssertSuccess();
        Assert.Equal($"The image moving:tag already exists, renaming the old one with ID {oldId} to empty string\nLoaded image: moving:tag\n", loaded.Stdout);
    }

    [Fact]
    public async Task Save_of_an_unknown_image_fails_before_writing()
    {
        var target = Scratch("never.tar");
        var result = await Daemon.DockerAsync("save", "-o", target, "busybox", "nosuch");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error response from daemon: No such image: nosuch\n", result.Stderr);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_load_that_is_not_quiet_reports_layer_progress()
    {
        var layer = await Archives.TarAsync(Archives.File("progress", new string('p', 300_000)));
        var archive = await Archives.DockerArchiveAsync([layer], ["progress:1"]);
        var messages = await Daemon.Client.LoadImagesAsync(new MemoryStream(archive), quiet: false);
        var progress = messages.Where(m => m.Status == "Loading layer").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, m => Assert.Equal(Digest.Sha256(layer).Hex[..12], m.Id));
        Assert.Equal(progress[^1].ProgressDetail!.Total, progress[^1].ProgressDetail!.Current);
        Assert.Equal("Loaded image: progress:1\n", messages[^1].Stream);
    }

    [Fact]
    public async Task Pulling_from_an_unreachable_docker_hub_fails_plainly()
    {
        // The test's namespace has only loopback: nothing leaves it, and the registry cannot be reached.
        var result = await Daemon.DockerAsync("pull", "busybox");
        Assert.Equal(1, result.ExitCode);
        // As dockerd: the endpoint's /v2/ is asked first, and its failure is the one reported.
        Assert.Contains("Error response from daemon: Get \"https://registry-1.docker.io/v2/\":", result.Stderr);
    }

    [Fact]
    public async Task The_sdk_saves_and_loads()
    {
        await using var saved = await Daemon.Client.SaveImagesAsync(["busybox"]);
        var buffer = new MemoryStream();
        await saved.CopyToAsync(buffer);
        buffer.Position = 0;
        var messages = await Daemon.Client.LoadImagesAsync(buffer);
        Assert.Equal("Loaded image: busybox:latest\n", Assert.Single(messages).Stream);
    }
}
