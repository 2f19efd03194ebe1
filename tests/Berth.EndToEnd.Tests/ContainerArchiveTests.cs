using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Api.Wire.Containers;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>docker cp, export, diff and commit through the real docker CLI, with the raw archive API where the CLI hides it.</summary>
public sealed class ContainerArchiveTests
{
    private const string CpSetup = "mkdir -p /data/sub && echo hello > /data/f.txt && echo deep > /data/sub/g.txt && ln -s f.txt /data/link && touch /data/ready && sleep 1000";
    private const string DiffSetup = "echo new > /etc/newfile; echo changed >> /etc/group; rm /bin/vi; mkdir -p /root/.cache/x; touch /tmp/ready; sleep 1000";

    private static async Task<BerthDaemon> StartWithBusyboxAsync(string driver = "overlay2")
    {
        var daemon = await BerthDaemon.StartAsync($$"""{"storage-driver": "{{driver}}"}""");
        (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        return daemon;
    }

    private static string Scratch(BerthDaemon daemon)
    {
        var path = Path.Combine(daemon.Root, "scratch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Waits until the container's setup command has written its marker file, read back with docker cp.</summary>
    private static async Task WaitForFileAsync(BerthDaemon daemon, string container, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var probe = Path.Combine(Scratch(daemon), "probe");
        while ((await daemon.DockerAsync("cp", $"{container}:{path}", probe)).ExitCode != 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path} never appeared in {container}");
            await Task.Delay(50);
        }
    }

    private static async Task<ContainerPathStat> StatAsync(BerthDaemon daemon, string container, string path)
    {
        using var response = await daemon.Client.RawAsync(HttpMethod.Head, $"/v1.41/containers/{container}/archive?path={Uri.EscapeDataString(path)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PathStatHeader.Decode(response.Headers.GetValues(PathStatHeader.Name).Single())!;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PutArchiveAsync(BerthDaemon daemon, string container, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await daemon.Client.RawAsync(HttpMethod.Put, $"/v1.41/containers/{container}/archive?path={Uri.EscapeDataString(path)}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<string>> TarNamesAsync(string file)
    {
        var names = new List<string>();
        await using var stream = File.OpenRead(file);
        var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    /// <summary>Runs a container detached and returns its output once it has exited (the logs hold all of it, however fast it ends).</summary>
    private static async Task<string> RunDetachedAsync(BerthDaemon daemon, params string[] imageAndCommand)
    {
        var id = (await daemon.DockerAsync(["run", "-d", .. imageAndCommand], stdin: null)).AssertSuccess().Stdout.Trim();
        Assert.Equal("0", (await daemon.DockerAsync("wait", id)).AssertSuccess().Stdout.Trim());
        return (await daemon.DockerAsync("logs", id)).AssertSuccess().Stdout;
    }

    [Fact]
    public async Task Cp_copies_files_directories_and_symlinks_out_of_and_into_a_running_container()
    {
        await using var daemon = await StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "cpc", "busybox", "sh", "-c", CpSetup)).AssertSuccess();
        await WaitForFileAsync(daemon, "cpc", "/data/ready");
        var scratch = Scratch(daemon);

        (await daemon.DockerAsync("cp", "cpc:/data/f.txt", Path.Combine(scratch, "f.txt"))).AssertSuccess();
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(scratch, "f.txt")));

        (await daemon.DockerAsync("cp", "cpc:/data", Path.Combine(scratch, "datadir"))).AssertSuccess();
        (await daemon.DockerAsync("cp", "cpc:/data/.", Path.Combine(scratch, "datadot"))).AssertSuccess();
        foreach (var copy in new[] { "datadir", "datadot" })
        {
            Assert.Equal("deep\n", await File.ReadAllTextAsync(Path.Combine(scratch, copy, "sub", "g.txt")));
            Assert.Equal("f.txt", new FileInfo(Path.Combine(scratch, copy, "link")).LinkTarget);
        }

        (await daemon.DockerAsync("cp", "cpc:/data/link", Path.Combine(scratch, "link"))).AssertSuccess();
        Assert.Equal("f.txt", new FileInfo(Path.Combine(scratch, "link")).LinkTarget);
        (await daemon.DockerAsync("cp", "-L", "cpc:/data/link", Path.Combine(scratch, "linkL"))).AssertSuccess();
        Assert.Null(new FileInfo(Path.Combine(scratch, "linkL")).LinkTarget);
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(scratch, "linkL")));

        var missing = await daemon.DockerAsync("cp", "cpc:/nosuch", Path.Combine(scratch, "x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error response from daemon: Could not find the file /nosuch in container cpc\n", missing.Stderr);

        await File.WriteAllTextAsync(Path.Combine(scratch, "h.txt"), "fromhost\n");
        Directory.CreateDirectory(Path.Combine(scratch, "hdir", "inner"));
        await File.WriteAllTextAsync(Path.Combine(scratch, "hdir", "inner", "i.txt"), "in\n");
        (await daemon.DockerAsync("cp", Path.Combine(scratch, "h.txt"), "cpc:/tmp/")).AssertSuccess();
        (await daemon.DockerAsync("cp", Path.Combine(scratch, "h.txt"), "cpc:/tmp/renamed.txt")).AssertSuccess();
        (await daemon.DockerAsync("cp", Path.Combine(scratch, "hdir"), "cpc:/tmp/")).AssertSuccess();
        (await daemon.DockerAsync("cp", "cpc:/tmp", Path.Combine(scratch, "back"))).AssertSuccess();
        Assert.Equal("fromhost\n", await File.ReadAllTextAsync(Path.Combine(scratch, "back", "h.txt")));
        Assert.Equal("fromhost\n", await File.ReadAllTextAsync(Path.Combine(scratch, "back", "renamed.txt")));
        Assert.Equal("in\n", await File.ReadAllTextAsync(Path.Combine(scratch, "back", "hdir", "inner", "i.txt")));

        var noDir = await daemon.DockerAsync("cp", Path.Combine(scratch, "h.txt"), "cpc:/nonexistent/dir/");
        Assert.Equal(1, noDir.ExitCode);

        // The engine's bind-mounted files are what cp reads, as in the container.
        (await daemon.DockerAsync("cp", "cpc:/etc/hostname", Path.Combine(scratch, "hostname"))).AssertSuccess();
        var id = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", "cpc")).AssertSuccess().Stdout.Trim();
        Assert.Equal(id[..12] + "\n", await File.ReadAllTextAsync(Path.Combine(scratch, "hostname")));
    }

    [Fact]
    public async Task The_archive_api_reports_stats_and_refuses_bad_paths_and_escaping_tars()
    {
        await using var daemon = await StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "cpc", "busybox", "sh", "-c", CpSetup)).AssertSuccess();
        await WaitForFileAsync(daemon, "cpc", "/data/ready");

        var file = await StatAsync(daemon, "cpc", "/data/f.txt");
        Assert.Equal(("f.txt", 6L, 420u, ""), (file.Name, file.Size, file.Mode, file.LinkTarget));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", file.Mtime);
        var directory = await StatAsync(daemon, "cpc", "/data");
        Assert.Equal(("data", 2147484141u), (directory.Name, directory.Mode));
        var link = await StatAsync(daemon, "cpc", "/data/link");
        Assert.Equal(("link", 5L, 134218239u, "/data/f.txt"), (link.Name, link.Size, link.Mode, link.LinkTarget));
        Assert.Equal("/", (await StatAsync(daemon, "cpc", "/")).Name);

        using (var head = await daemon.Client.RawAsync(HttpMethod.Head, "/v1.41/containers/cpc/archive?path=/nosuch"))
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var get = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/cpc/archive"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
            Assert.Equal("{\"message\":\"bad parameter: pathcannot be empty\"}\n", await get.Content.ReadAsStringAsync());
        }
        using (var get = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/cpc/archive?path=/data/f.txt"))
        {
            Assert.Equal("application/x-tar", get.Content.Headers.ContentType?.MediaType);
            var tar = await get.Content.ReadAsByteArrayAsync();
            Assert.Equal(2048, tar.Length); // header, content block, end blocks: whole-second times need no PAX record
            Assert.Equal("f.txt", Encoding.ASCII.GetString(tar, 0, 5));
        }

        var upload = await Archives.TarAsync(Archives.File("h.txt", "fromhost\n"));
        Assert.Equal(HttpStatusCode.OK, (await PutArchiveAsync(daemon, "cpc", "/tmp", upload)).Status);
        Assert.Equal((HttpStatusCode.NotFound, "{\"message\":\"Could not find the file /nosuchdir in container cpc\"}\n"),
            await PutArchiveAsync(daemon, "cpc", "/nosuchdir", upload));
        Assert.Equal((HttpStatusCode.InternalServerError, "{\"message\":\"extraction point is not a directory\"}\n"),
            await PutArchiveAsync(daemon, "cpc", "/data/f.txt", upload));
        Assert.Equal((HttpStatusCode.InternalServerError, "{\"message\":\"Error processing tar file(exit status 1): unexpected EOF\"}\n"),
            await PutArchiveAsync(daemon, "cpc", "/tmp", Encoding.ASCII.GetBytes("notatar")));

        // Entries that leave the extraction directory are refused, and nothing lands outside it.
        foreach (var escaping in new[]
                 {
                     await Archives.TarAsync(Archives.File("../escaped.txt", "x")),
                     await Archives.TarAsync(Archives.HardLink("passwd-link", "/etc/passwd")),
                     await Archives.TarAsync(Archives.Symlink("up", "../../etc"), Archives.File("up/escaped.txt", "x")),
                 })
        {
            var (status, body) = await PutArchiveAsync(daemon, "cpc", "/tmp", escaping);
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.StartsWith("{\"message\":\"Error processing tar file(exit status 1): ", body);
        }
        Assert.Equal((HttpStatusCode.InternalServerError, "{\"message\":\"Error processing tar file(exit status 1): \\\"../escaped.txt\\\" is outside of \\\"/tmp\\\"\"}\n"),
            await PutArchiveAsync(daemon, "cpc", "/tmp", await Archives.TarAsync(Archives.File("../escaped.txt", "x"))));
        // The engine's files are mount points in the container, which an extraction cannot replace (as in dockerd).
        Assert.Equal((HttpStatusCode.InternalServerError, "{\"message\":\"Error processing tar file(exit status 1): unlinkat /etc/hosts: device or resource busy\"}\n"),
            await PutArchiveAsync(daemon, "cpc", "/etc", await Archives.TarAsync(Archives.File("hosts", "x"))));
        using (var escaped = await daemon.Client.RawAsync(HttpMethod.Head, "/v1.41/containers/cpc/archive?path=/escaped.txt"))
            Assert.Equal(HttpStatusCode.NotFound, escaped.StatusCode);
        using (var escaped = await daemon.Client.RawAsync(HttpMethod.Head, "/v1.41/containers/cpc/archive?path=/etc/escaped.txt"))
            Assert.Equal(HttpStatusCode.NotFound, escaped.StatusCode);

        (await daemon.DockerAsync("run", "-d", "--read-only", "--name", "cpro", "busybox", "sleep", "1000")).AssertSuccess();
        var readOnly = await daemon.DockerAsync("cp", Path.Combine(Scratch(daemon), "."), "cpro:/");
        Assert.Equal("Error response from daemon: container rootfs is marked read-only\n", readOnly.Stderr);
    }

    [Theory]
    [InlineData("overlay2")]
    [InlineData("vfs")]
    public async Task Cp_works_on_a_stopped_container_and_leaves_it_startable(string driver)
    {
        await using var daemon = await StartWithBusyboxAsync(driver);
        var snapshots = Path.Combine(daemon.DataRoot, driver);
        var snapshotsBefore = Directory.GetDirectories(snapshots).Length;
        (await daemon.DockerAsync("run", "--name", "cpstopped", "busybox", "sh", "-c", "cat /h.txt 2>/dev/null || echo absent")).AssertSuccess();
        var scratch = Scratch(daemon);
        await File.WriteAllTextAsync(Path.Combine(scratch, "h.txt"), "fromhost\n");

        (await daemon.DockerAsync("cp", Path.Combine(scratch, "h.txt"), "cpstopped:/h.txt")).AssertSuccess();
        (await daemon.DockerAsync("cp", "cpstopped:/h.txt", Path.Combine(scratch, "back.txt"))).AssertSuccess();
        Assert.Equal("fromhost\n", await File.ReadAllTextAsync(Path.Combine(scratch, "back.txt")));
        Assert.DoesNotContain(daemon.ExecRoot, await File.ReadAllTextAsync("/proc/self/mountinfo"));

        var start = await daemon.DockerAsync("start", "-a", "cpstopped");
        start.AssertSuccess();
        Assert.Equal("fromhost\n", start.Stdout);

        // Removing the container removes its writable and init snapshots.
        (await daemon.DockerAsync("rm", "cpstopped")).AssertSuccess();
        Assert.Equal(snapshotsBefore, Directory.GetDirectories(snapshots).Length);
    }

    [Fact]
    public async Task Export_writes_the_merged_root_with_the_init_layer_files()
    {
        await using var daemon = await StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "cpc", "busybox", "sh", "-c", CpSetup)).AssertSuccess();
        await WaitForFileAsync(daemon, "cpc", "/data/ready");
        var scratch = Scratch(daemon);
        var exported = Path.Combine(scratch, "exp.tar");

        (await daemon.DockerAsync("export", "-o", exported, "cpc")).AssertSuccess();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(exported));
        var names = await TarNamesAsync(exported);
        Assert.Equal(".dockerenv", names[0]);
        foreach (var expected in new[] { "bin/", "bin/busybox", "data/", "data/f.txt", "data/link", "data/sub/g.txt", "etc/hostname", "etc/hosts", "etc/resolv.conf", "proc/", "dev/" })
            Assert.Contains(expected, names);

        var missing = await daemon.DockerAsync("export", "nosuch");
        Assert.Equal("Error response from daemon: No such container: nosuch\n", missing.Stderr);
    }

    [Theory]
    [InlineData("overlay2")]
    [InlineData("vfs")]
    public async Task Diff_lists_what_the_container_changed(string driver)
    {
        await using var daemon = await StartWithBusyboxAsync(driver);
        (await daemon.DockerAsync("run", "-d", "--name", "dfc", "busybox", "sh", "-c", DiffSetup)).AssertSuccess();
        await WaitForFileAsync(daemon, "dfc", "/tmp/ready");

        var diff = (await daemon.DockerAsync("diff", "dfc")).AssertSuccess();
        // The CLI prints the daemon's order, which is not sorted; the set is what dockerd reports.
        Assert.Equal(
            new[] { "C /bin", "D /bin/vi", "C /etc", "A /etc/newfile", "C /etc/group", "C /root", "A /root/.cache", "A /root/.cache/x", "C /tmp", "A /tmp/ready" }.Order(StringComparer.Ordinal),
            diff.Lines.Order(StringComparer.Ordinal));

        (await daemon.DockerAsync("create", "--name", "dfcreated", "busybox")).AssertSuccess();
        Assert.Empty((await daemon.DockerAsync("diff", "dfcreated")).AssertSuccess().Stdout);
        // Running leaves nothing behind either: the runtime's mount points are in the init layer.
        (await daemon.DockerAsync("run", "--name", "ran", "busybox", "true")).AssertSuccess();
        Assert.Empty((await daemon.DockerAsync("diff", "ran")).AssertSuccess().Stdout);
        using var raw = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/containers/dfcreated/changes");
        Assert.Equal("null\n", await raw.Content.ReadAsStringAsync());
        Assert.Equal("Error response from daemon: No such container: nosuch\n", (await daemon.DockerAsync("diff", "nosuch")).Stderr);
    }

    [Theory]
    [InlineData("overlay2")]
    [InlineData("vfs")]
    public async Task Commit_makes_an_image_that_runs_with_the_changes_and_its_history(string driver)
    {
        await using var daemon = await StartWithBusyboxAsync(driver);
        var busybox = await TestImages.BusyboxIdAsync();
        (await daemon.DockerAsync("run", "-d", "--name", "dfc", "busybox", "sh", "-c", DiffSetup)).AssertSuccess();
        await WaitForFileAsync(daemon, "dfc", "/tmp/ready");

        var commit = (await daemon.DockerAsync("commit", "-c", "CMD [\"echo\",\"committed\"]", "-c", "ENV NEWVAR=1", "-c", "LABEL l=v", "-c", "EXPOSE 8080",
            "-m", "my message", "-a", "Me <me@example.com>", "dfc", "committed:v1")).AssertSuccess();
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", commit.Stdout);
        Assert.Equal("running", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", "dfc")).Stdout.Trim());

        Assert.Equal("committed\n", await RunDetachedAsync(daemon, "committed:v1"));
        Assert.Equal("new\n", await RunDetachedAsync(daemon, "committed:v1", "cat", "/etc/newfile"));
        Assert.Equal("absent NEWVAR=1\n", await RunDetachedAsync(daemon, "committed:v1", "sh", "-c", "test -e /bin/vi || echo -n 'absent '; env | grep NEWVAR"));

        var history = (await daemon.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", "committed:v1")).AssertSuccess();
        Assert.Equal($"sh -c {DiffSetup}|my message", history.Lines[0]);
        Assert.Equal(2, history.Lines.Length);
        var inspect = (await daemon.DockerAsync("image", "inspect", "-f", "{{json .Author}} {{json .Comment}} {{json .Parent}} {{json .Config.Labels}} {{json .Config.ExposedPorts}}", "committed:v1")).AssertSuccess();
        Assert.Equal($"\"Me <me@example.com>\" \"my message\" \"{busybox}\" {{\"l\":\"v\"}} {{\"8080/tcp\":{{}}}}\n", inspect.Stdout);
        var containerId = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", "dfc")).Stdout.Trim();
        using (var legacy = await daemon.Client.RawAsync(HttpMethod.Get, "/v1.41/images/committed:v1/json"))
        {
            using var json = System.Text.Json.JsonDocument.Parse(await legacy.Content.ReadAsStringAsync());
            Assert.Equal(containerId, json.RootElement.GetProperty("Container").GetString());
            Assert.Equal($"sh -c {DiffSetup}", string.Join(' ', json.RootElement.GetProperty("ContainerConfig").GetProperty("Cmd").EnumerateArray().Select(e => e.GetString())));
        }

        // The base image is now a parent: it cannot be removed while the child exists.
        (await daemon.DockerAsync("rm", "-f", "dfc")).AssertSuccess();
        var rmi = await daemon.DockerAsync("rmi", busybox);
        Assert.Equal(1, rmi.ExitCode);
        Assert.Contains("image has dependent child images", rmi.Stderr);

        (await daemon.DockerAsync("create", "--name", "dfcreated", "busybox")).AssertSuccess();
        Assert.Equal("Error response from daemon: run is not a valid change command\n", (await daemon.DockerAsync("commit", "-c", "RUN echo x", "dfcreated")).Stderr);
        (await daemon.DockerAsync("commit", "dfcreated", "created-img")).AssertSuccess();
        var created = (await daemon.DockerAsync("history", "--format", "{{.CreatedBy}} {{.Size}}", "created-img")).AssertSuccess();
        Assert.Equal("sh 0B", created.Lines[0]);

        using var noContainer = await daemon.Client.RawAsync(HttpMethod.Post, "/v1.41/commit");
        Assert.Equal(HttpStatusCode.BadRequest, noContainer.StatusCode);
        using (var error = System.Text.Json.JsonDocument.Parse(await noContainer.Content.ReadAsStringAsync()))
            Assert.Equal("invalid name or ID supplied: \"\"", error.RootElement.GetProperty("message").GetString());
        var body = new StringContent("{\"Cmd\":[\"true\"]}", Encoding.UTF8, "application/json");
        using var withBody = await daemon.Client.RawAsync(HttpMethod.Post, "/v1.41/commit?container=dfcreated&repo=rawc&tag=t2&pause=0", body);
        Assert.Equal(HttpStatusCode.Created, withBody.StatusCode);
        Assert.Matches("^\\{\"Id\":\"sha256:[0-9a-f]{64}\"\\}\n$", await withBody.Content.ReadAsStringAsync());
        Assert.Equal("[\"true\"]\n", (await daemon.DockerAsync("image", "inspect", "-f", "{{json .Config.Cmd}}", "rawc:t2")).Stdout);
    }
}
