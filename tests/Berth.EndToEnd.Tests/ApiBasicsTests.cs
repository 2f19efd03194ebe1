using System.Net;
using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>/_ping, /version, /info, versioned paths and errors, through the docker CLI and raw HTTP.</summary>
public sealed class ApiBasicsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Ping_answers_get_and_head_with_dockers_headers()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await Daemon.Client.RawAsync(method, "/_ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1.47", response.Headers.GetValues("Api-Version").Single());
            Assert.Equal("linux", response.Headers.GetValues("Ostype").Single());
            Assert.Equal("1", response.Headers.GetValues("Builder-Version").Single());
            Assert.Equal("no-cache", response.Headers.GetValues("Pragma").Single());
            Assert.Equal(method == HttpMethod.Get ? "OK" : "", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_cli_negotiates_the_api_version_and_reads_version()
    {
        var version = (await Daemon.DockerAsync("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}} {{.Client.APIVersion}}")).AssertSuccess();
        Assert.Equal("1.47 1.24 linux 1.47", version.Stdout.Trim());
        var components = (await Daemon.DockerAsync("version", "--format", "{{range .Server.Components}}{{.Name}} {{end}}")).AssertSuccess();
        Assert.StartsWith("Engine runc conmon", components.Stdout.Trim());
    }

    [Fact]
    public async Task Info_reports_real_figures()
    {
        var info = (await Daemon.DockerAsync("info", "--format", "{{json .}}")).AssertSuccess();
        using var doc = JsonDocument.Parse(info.Stdout);
        var root = doc.RootElement;
        Assert.Equal(Daemon.HostName, root.GetProperty("Name").GetString());
        Assert.Equal(Daemon.DataRoot, root.GetProperty("DockerRootDir").GetString());
        Assert.Equal("overlay2", root.GetProperty("Driver").GetString());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("NCPU").GetInt32());
        Assert.True(root.GetProperty("MemTotal").GetInt64() > 0);
        Assert.Equal(await File.ReadAllTextAsync("/proc/sys/kernel/osrelease"), root.GetProperty("KernelVersion").GetString() + "\n");
        Assert.Equal("cgroupfs", root.GetProperty("CgroupDriver").GetString());
        Assert.Equal(Directory.Exists("/sys/fs/cgroup/memory") ? "1" : "2", root.GetProperty("CgroupVersion").GetString());
        Assert.True(root.GetProperty("Images").GetInt32() >= 1);
        Assert.Equal(0, root.GetProperty("ContainersRunning").GetInt32());
        Assert.Contains("runc", root.GetProperty("Runtimes").EnumerateObject().Select(p => p.Name));
        Assert.Contains(root.GetProperty("DriverStatus").EnumerateArray(), s => s[0].GetString() == "Backing Filesystem");
        var id = root.GetProperty("ID").GetString();
        Assert.True(Guid.TryParse(id, out _), id);
        var os = (await File.ReadAllLinesAsync("/etc/os-release")).First(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        Assert.Equal(os["PRETTY_NAME=".Length..].Trim('"'), root.GetProperty("OperatingSystem").GetString());
    }

    [Theory]
    [InlineData("/v1.24/version")]
    [InlineData("/v1.41/version")]
    [InlineData("/v1.47/version")]
    [InlineData("/version")]
    public async Task Every_supported_version_prefix_is_served(string path)
    {
        using var response = await Daemon.Client.RawAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v1.99/version", HttpStatusCode.BadRequest, "client version 1.99 is too new. Maximum supported API version is 1.47")]
    [InlineData("/v1.23/version", HttpStatusCode.BadRequest, "client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    [InlineData("/nope", HttpStatusCode.NotFound, "page not found")]
    [InlineData("/v1.47/nope", HttpStatusCode.NotFound, "page not found")]
    [InlineData("/vabc/version", HttpStatusCode.NotFound, "page not found")]
    public async Task Errors_have_dockers_shape_and_status(string path, HttpStatusCode status, string message)
    {
        using var response = await Daemon.Client.RawAsync(HttpMethod.Get, path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($$"""{"message":{{JsonSerializer.Serialize(message)}}}""" + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_method_is_page_not_found_as_in_dockerd()
    {
        using var response = await Daemon.Client.RawAsync(HttpMethod.Put, "/images/json");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_sdk_reads_version_and_info()
    {
        var version = await Daemon.Client.VersionAsync();
        Assert.Equal("1.47", version.ApiVersion);
        Assert.Equal("Berth", version.Platform.Name);
        var info = await Daemon.Client.InfoAsync();
        Assert.Equal("inactive", info.Swarm.LocalNodeState);
    }
}
