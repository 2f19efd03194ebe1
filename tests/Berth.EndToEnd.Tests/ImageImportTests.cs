using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker import</c> from a file, stdin and a URL, with <c>-c</c> changes and <c>-m</c>.</summary>
public sealed class ImageImportTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<string> TarballAsync(string name)
    {
        var path = Path.Combine(Daemon.Root, name);
        await File.WriteAllBytesAsync(path, await Archives.TarAsync(Archives.Dir("etc"), Archives.File("etc/os-release", name), Archives.Symlink("link", "/etc/os-release")));
        return path;
    }

    private async Task<JsonElement> InspectAsync(string name)
    {
        var result = (await Daemon.DockerAsync("image", "inspect", name)).AssertSuccess();
        return JsonDocument.Parse(result.Stdout).RootElement[0].Clone();
    }

    [Fact]
    public async Task Import_with_changes_configures_the_image()
    {
        var tarball = await TarballAsync("changes.tar");
        var id = (await Daemon.DockerAsync("import",
            "-c", """CMD ["sh"]""", "-c", "ENV A=b", "-c", "EXPOSE 80", "-c", "WORKDIR /w", "-c", "USER nobody",
            "-c", "LABEL team=x", "-c", "VOLUME /data", "-c", """ENTRYPOINT ["/bin/sh"]""", "-m", "a message",
            tarball, "imported:changes")).AssertSuccess().Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        var image = await InspectAsync("imported:changes");
        var config = image.GetProperty("Config");
        Assert.Equal(["sh"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["/bin/sh"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["A=b"], config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.True(config.GetProperty("ExposedPorts").TryGetProperty("80/tcp", out _));
        Assert.True(config.GetProperty("Volumes").TryGetProperty("/data", out _));
        Assert.Equal("/w", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("nobody", config.GetProperty("User").GetString());
        Assert.Equal("x", config.GetProperty("Labels").GetProperty("team").GetString());
        Assert.Equal("a message", image.GetProperty("Comment").GetString());
        var history = (await Daemon.DockerAsync("history", "--format", "{{.Comment}}|{{.CreatedBy}}", "imported:changes")).AssertSuccess();
        Assert.Equal("a message|", history.Stdout.Trim());
    }

    [Fact]
    public async Task Import_from_stdin_and_a_shell_form_cmd()
    {
        await using var stdin = File.OpenRead(await TarballAsync("stdin.tar"));
        (await Daemon.DockerAsync(["import", "-c", "CMD echo hi", "-", "imported:stdin"], stdin)).AssertSuccess();
        var image = await InspectAsync("imported:stdin");
        Assert.Equal(["/bin/sh", "-c", "echo hi"], image.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Imported from -", image.GetProperty("Comment").GetString());
        Assert.Equal("imported:stdin", image.GetProperty("RepoTags")[0].GetString());
    }

    [Fact]
    public async Task Import_without_a_name_gives_an_untagged_image()
    {
        var id = (await Daemon.DockerAsync("import", await TarballAsync("untagged.tar"))).AssertSuccess().Stdout.Trim();
        Assert.Empty((await InspectAsync(id)).GetProperty("RepoTags").EnumerateArray());
    }

    [Fact]
    public async Task Import_from_a_url_downloads_it_from_inside_the_daemons_network()
    {
        var webRoot = Path.Combine(Daemon.Root, "www");
        Directory.CreateDirectory(webRoot);
        File.Copy(await TarballAsync("served.tar"), Path.Combine(webRoot, "rootfs.tar"));
        var server = Daemon.LaunchInNamespace("busybox", ["httpd", "-f", "-p", "127.0.0.1:8088", "-h", webRoot]);
        try
        {
            CommandResult? result = null;
            for (var attempt = 0; attempt < 50; attempt++)
            {
                result = await Daemon.DockerAsync("import", "http://127.0.0.1:8088/rootfs.tar", "imported:url");
                if (result.ExitCode == 0) break;
                await Task.Delay(100);
            }
            result!.AssertSuccess();
            Assert.Equal("Imported from http://127.0.0.1:8088/rootfs.tar", (await InspectAsync("imported:url")).GetProperty("Comment").GetString());
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("RUN echo", "run is not a valid change command")]
    [InlineData("FROM busybox", "from is not a valid change command")]
    public async Task Invalid_changes_are_refused(string change, string message)
    {
        var result = await Daemon.DockerAsync("import", "-c", change, await TarballAsync("refused.tar"), "refused:1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error response from daemon: {message}\n", result.Stderr);
        Assert.Equal(1, (await Daemon.DockerAsync("image", "inspect", "refused:1")).ExitCode);
    }

    [Fact]
    public async Task An_unreachable_url_is_reported()
    {
        var result = await Daemon.DockerAsync("import", "http://127.0.0.1:1/rootfs.tar", "imported:unreachable");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error response from daemon: error downloading http://127.0.0.1:1/rootfs.tar: ", result.Stderr);
    }

    [Fact]
    public async Task A_missing_file_is_reported_by_the_cli()
    {
        var result = await Daemon.DockerAsync("import", "/nonexistent.tar");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such file or directory", result.Stderr);
    }

    [Fact]
    public async Task A_body_that_is_not_a_tar_is_refused()
    {
        var path = Path.Combine(Daemon.Root, "garbage.bin");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 2048).Select(i => (byte)(i * 31)).ToArray());
        var result = await Daemon.DockerAsync("import", path, "garbage:1");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error response from daemon: Error processing tar file", result.Stderr);
    }

    [Fact]
    public async Task The_sdk_imports()
    {
        await using var tarball = File.OpenRead(await TarballAsync("sdk.tar"));
        var id = await Daemon.Client.ImportImageAsync(tarball, "imported", "sdk", changes: ["ENV FROM_SDK=1"]);
        var image = await Daemon.Client.InspectImageAsync(id);
        Assert.Equal(["FROM_SDK=1"], image.Config!.Env);
    }
}
