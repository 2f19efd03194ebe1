using System.Text.Json;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker images</c> with its flags and filters, and <c>docker history</c>, on a daemon holding a known set of images.</summary>
public sealed class ImageListTests : IAsyncLifetime
{
    private BerthDaemon _daemon = null!;
    private string _labelled = "";
    private string _dangling = "";

    public async Task InitializeAsync()
    {
        _daemon = await BerthDaemon.StartAsync();
        (await _daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        (await _daemon.DockerAsync("tag", "busybox", "busybox:1.35")).AssertSuccess();
        var tarball = Path.Combine(_daemon.Root, "tiny.tar");
        await File.WriteAllBytesAsync(tarball, await Archives.TarAsync(Archives.File("hello", "tiny")));
        // Imported one after another so that "since"/"before" have an order to work with.
        _dangling = await ImportAsync(tarball, "tiny:latest", "LABEL team=x");
        await Task.Delay(1100);
        _labelled = await ImportAsync(tarball, "tiny:latest", "LABEL team=y");
    }

    private async Task<string> ImportAsync(string tarball, string tag, string change) =>
        (await _daemon.DockerAsync("import", "-c", change, tarball, tag)).AssertSuccess().Stdout.Trim();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private async Task<string[]> RowsAsync(params string[] args) =>
        (await _daemon.DockerAsync(["images", "--format", "{{.Repository}}:{{.Tag}}", .. args], null)).AssertSuccess().Lines;

    [Fact]
    public async Task Lists_tags_and_dangling_images_newest_first_with_dockers_columns()
    {
        var table = (await _daemon.DockerAsync("images")).AssertSuccess();
        Assert.Equal(["REPOSITORY", "TAG", "IMAGE", "ID", "CREATED", "SIZE"], table.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["tiny:latest", "<none>:<none>", "busybox:1.35", "busybox:latest"], await RowsAsync());
        Assert.Contains(table.Lines, l => l.StartsWith("tiny ", StringComparison.Ordinal) && l.Contains(_labelled[7..19], StringComparison.Ordinal) && l.EndsWith("4B", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Quiet_and_no_trunc_show_ids()
    {
        var quiet = (await _daemon.DockerAsync("images", "-q")).AssertSuccess().Lines;
        Assert.Equal([_labelled[7..19], _dangling[7..19], (await TestImages.BusyboxIdAsync())[7..19]], quiet.Distinct());
        var full = (await _daemon.DockerAsync("images", "-q", "--no-trunc")).AssertSuccess().Lines;
        Assert.Contains(_labelled, full);
    }

    [Theory]
    [InlineData("dangling=true", new[] { "<none>:<none>" })]
    [InlineData("dangling=false", new[] { "tiny:latest", "busybox:1.35", "busybox:latest" })]
    [InlineData("reference=busy*", new[] { "busybox:1.35", "busybox:latest" })]
    [InlineData("reference=busybox:1.*", new[] { "busybox:1.35" })]
    [InlineData("label=team", new[] { "tiny:latest", "<none>:<none>" })]
    [InlineData("label=team=y", new[] { "tiny:latest" })]
    [InlineData("before=tiny", new[] { "<none>:<none>", "busybox:1.35", "busybox:latest" })]
    [InlineData("since=busybox", new[] { "tiny:latest", "<none>:<none>" })]
    public async Task Filters_select_as_dockerd_does(string filter, string[] expected) =>
        Assert.Equal(expected, await RowsAsync("--filter", filter));

    [Fact]
    public async Task Bad_filters_fail_with_dockerds_messages()
    {
        var unknown = await _daemon.DockerAsync("images", "--filter", "foo=bar");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("Error response from daemon: Invalid filter 'foo'\n", unknown.Stderr);
        var dangling = await _daemon.DockerAsync("images", "--filter", "dangling=maybe");
        Assert.Equal("Error response from daemon: Invalid filter 'dangling=[maybe]'\n", dangling.Stderr);
        var since = await _daemon.DockerAsync("images", "--filter", "since=nosuch");
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\n", since.Stderr);
    }

    [Fact]
    public async Task Json_format_and_digests_column()
    {
        var json = (await _daemon.DockerAsync("images", "--format", "{{json .}}", "tiny")).AssertSuccess();
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("tiny", doc.RootElement.GetProperty("Repository").GetString());
        Assert.Equal("4B", doc.RootElement.GetProperty("Size").GetString());
        var digests = (await _daemon.DockerAsync("images", "--digests", "busybox")).AssertSuccess();
        Assert.Contains("DIGEST", digests.Lines[0]);
        Assert.Contains("<none>", digests.Lines[1]);
    }

    [Fact]
    public async Task Api_clients_before_1_43_see_none_tags_for_dangling_images()
    {
        using var response = await _daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/images/json");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var dangling = doc.RootElement.EnumerateArray().Single(i => i.GetProperty("Id").GetString() == _dangling);
        Assert.Equal("<none>:<none>", dangling.GetProperty("RepoTags")[0].GetString());
        Assert.Equal(dangling.GetProperty("Size").GetInt64(), dangling.GetProperty("VirtualSize").GetInt64());
        var current = await _daemon.Client.ListImagesAsync();
        Assert.Empty(current.Single(i => i.Id == _dangling).RepoTags);
        Assert.Equal(-1, current[0].Containers);
    }

    [Fact]
    public async Task History_shows_each_layer_with_its_creator_and_comment()
    {
        var history = (await _daemon.DockerAsync("history", "tiny")).AssertSuccess();
        Assert.Equal(["IMAGE", "CREATED", "CREATED", "BY", "SIZE", "COMMENT"], history.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($"^{_labelled[7..19]} .* 4B +Imported from -$", history.Lines[1]);
        Assert.Equal([_labelled[7..19]], (await _daemon.DockerAsync("history", "-q", "tiny")).AssertSuccess().Lines);
        Assert.Contains(_labelled, (await _daemon.DockerAsync("history", "--no-trunc", "tiny")).AssertSuccess().Stdout);
        var missing = await _daemon.DockerAsync("history", "nosuch");
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\n", missing.Stderr);
        var sdk = await _daemon.Client.ImageHistoryAsync("busybox");
        Assert.Equal(["busybox:1.35", "busybox:latest"], Assert.Single(sdk).Tags);
    }

    [Fact]
    public async Task Inspect_of_an_unknown_or_invalid_name_fails()
    {
        var missing = await _daemon.DockerAsync("image", "inspect", "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("[]\n", missing.Stdout);
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\n", missing.Stderr);
        var invalid = await _daemon.DockerAsync("image", "inspect", "Bad:Ref");
        Assert.Equal("Error response from daemon: invalid reference format: repository name must be lowercase\n", invalid.Stderr);
    }

    [Fact]
    public async Task Images_are_found_by_id_prefix()
    {
        var byPrefix = (await _daemon.DockerAsync("image", "inspect", "--format", "{{.Id}}", _labelled[7..15])).AssertSuccess();
        Assert.Equal(_labelled, byPrefix.Stdout.Trim());
        var byDigestPrefix = (await _daemon.DockerAsync("image", "inspect", "--format", "{{.Id}}", _labelled[..20])).AssertSuccess();
        Assert.Equal(_labelled, byDigestPrefix.Stdout.Trim());
    }
}
