using Berth.EndToEnd.Tests.Harness;
using Berth.Images.Archive.Tar;
using Berth.Images.Digests;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Malformed and malicious archives given to <c>docker load</c>: each is refused with a message,
/// exit code 1, nothing is listed, and nothing is written outside the data root.
/// </summary>
public sealed class BadArchiveTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<CommandResult> LoadAsync(byte[] archive)
    {
        var path = Path.Combine(Daemon.Root, $"bad-{Guid.NewGuid():N}.tar");
        await File.WriteAllBytesAsync(path, archive);
        return await Daemon.DockerAsync("load", "-i", path);
    }

    private async Task AssertRefusedAsync(byte[] archive, string expectedMessage)
    {
        var before = (await Daemon.DockerAsync("images", "-a", "-q", "--no-trunc")).AssertSuccess().Stdout;
        var result = await LoadAsync(archive);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expectedMessage, result.Stderr);
        Assert.Equal(before, (await Daemon.DockerAsync("images", "-a", "-q", "--no-trunc")).AssertSuccess().Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Daemon.DataRoot, "tmp")));
    }

    [Fact]
    public async Task Random_bytes_and_empty_input_are_refused()
    {
        await AssertRefusedAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 13 + 7)).ToArray(), "invalid tar header");
        await AssertRefusedAsync([], "neither manifest.json (docker-archive) nor index.json (OCI layout)");
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_diff_id_is_refused()
    {
        var layer = await Archives.TarAsync(Archives.File("a", "real"));
        var config = Archives.Config([layer], diffIdOverride: [Digest.Sha256("other"u8).ToString()]);
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([layer], ["mismatch:1"], config),
            $"invalid diffID for layer 0: expected \"{Digest.Sha256("other"u8)}\", got \"{Digest.Sha256(layer)}\"");
        Assert.Equal(1, (await Daemon.DockerAsync("image", "inspect", "mismatch:1")).ExitCode);
    }

    [Fact]
    public async Task A_missing_layer_file_is_refused()
    {
        var layer = await Archives.TarAsync(Archives.File("a", "orphan"));
        var config = Archives.Config([layer]);
        var manifest = $$"""[{"Config":"{{Digest.Sha256(config).Hex}}.json","RepoTags":["missing:1"],"Layers":["nope/layer.tar"]}]""";
        await AssertRefusedAsync(await Archives.TarAsync(
                new Archives.Entry(new TarHeader { Name = Digest.Sha256(config).Hex + ".json", Mode = 0x1a4 }, config),
                new Archives.Entry(new TarHeader { Name = "manifest.json", Mode = 0x1a4 }, System.Text.Encoding.UTF8.GetBytes(manifest))),
            "layer nope/layer.tar is missing");
    }

    [Fact]
    public async Task Archive_entries_that_escape_are_refused_and_write_nothing_outside()
    {
        var layer = await Archives.TarAsync(Archives.File("a", "x"));
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([layer], ["escape:1"], extra: [Archives.File("../../escaped-archive-entry", "pwned")]),
            "\"../../escaped-archive-entry\" is outside of the archive's root");
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([layer], ["escape:2"], extra: [Archives.Symlink("link", "../../../")]),
            "invalid symlink \"link\" -> \"../../../\"");
        Assert.False(File.Exists(Path.Combine(TestPaths.ScratchRoot, "escaped-archive-entry")));
        Assert.False(File.Exists(Path.Combine(Daemon.Root, "escaped-archive-entry")));
    }

    [Fact]
    public async Task Layer_entries_that_escape_are_refused()
    {
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([await Archives.TarAsync(Archives.File("../../escaped-layer-entry", "pwned"))], ["escape:3"]),
            "\"../../escaped-layer-entry\" is outside of the archive's root");
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([await Archives.TarAsync(Archives.HardLink("h", "../../../../../../etc/passwd"))], ["escape:4"]),
            "invalid hardlink");
        await AssertRefusedAsync(await Archives.DockerArchiveAsync([await Archives.TarAsync(Archives.Symlink("s", "../../../../../../../etc"))], ["escape:5"]),
            "invalid symlink");
        Assert.False(File.Exists(Path.Combine(Daemon.DataRoot, "escaped-layer-entry")));
    }

    [Fact]
    public async Task Writing_through_an_absolute_symlink_stays_in_the_layer()
    {
        var outside = Path.Combine(Daemon.Root, "outside");
        Directory.CreateDirectory(outside);
        var layer = await Archives.TarAsync(Archives.Symlink("escape", outside), Archives.File("escape/pwned", "contained"));
        (await LoadAsync(await Archives.DockerArchiveAsync([layer], ["contained:1"]))).AssertSuccess();
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        var upper = (await Daemon.DockerAsync("image", "inspect", "--format", "{{.GraphDriver.Data.UpperDir}}", "contained:1")).AssertSuccess().Stdout.Trim();
        Assert.Equal("contained", await File.ReadAllTextAsync(upper + outside + "/pwned"));
    }

    [Fact]
    public async Task An_oci_blob_that_does_not_match_its_digest_is_refused()
    {
        (await Daemon.DockerAsync("tag", "busybox", "tampered:1")).AssertSuccess();
        await using var saved = await Daemon.Client.SaveImagesAsync(["tampered:1"]);
        var files = await Archives.ReadAsync(saved);
        (await Daemon.DockerAsync("rmi", "tampered:1")).AssertSuccess();
        using var index = System.Text.Json.JsonDocument.Parse(files["index.json"]);
        var manifestDigest = Digest.Parse(index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!);
        using var manifest = System.Text.Json.JsonDocument.Parse(files[$"blobs/sha256/{manifestDigest.Hex}"]);
        var configName = $"blobs/sha256/{Digest.Parse(manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!).Hex}";
        var tamperedConfig = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(files[configName]).Replace("\"sh\"", "\"ls\"", StringComparison.Ordinal));
        var entries = files.Where(f => f.Key != "manifest.json")
            .Select(f => new Archives.Entry(new TarHeader { Name = f.Key, Mode = 0x1a4 }, f.Key == configName ? tamperedConfig : f.Value))
            .ToArray();
        await AssertRefusedAsync(await Archives.TarAsync(entries), "does not match its digest");
    }
}
