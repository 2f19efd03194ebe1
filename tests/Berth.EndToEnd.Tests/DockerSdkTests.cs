using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Another real client: the Docker SDK for Python (Debian's python3-docker) drives the image API.</summary>
public sealed class DockerSdkTests
{
    [Fact]
    public async Task Docker_py_loads_lists_tags_saves_and_removes_images()
    {
        await using var daemon = await BerthDaemon.StartAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "docker_py_images.py");
        var result = await Processes.RunAsync("/usr/bin/python3", [script, await TestImages.BusyboxArchiveAsync()],
            new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        result.AssertSuccess();
        Assert.Equal(
        [
            "ping True",
            "api 1.47",
            "loaded [['busybox:latest']]",
            "cmd ['sh']",
            "tags ['busybox:latest', 'py/tagged:v1']",
            "history 1",
            "saved True",
            "after-remove ['busybox:latest']",
            "prune {'ImagesDeleted': None, 'SpaceReclaimed': 0}",
            "not-found No such image: nosuch:latest",
            "driver overlay2",
        ], result.Lines);
    }

    [Fact]
    public async Task Docker_py_pushes_and_reads_the_digest_from_the_aux_message()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        await using var registry = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, "registry"));
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "docker_py_push.py");
        var result = await Processes.RunAsync("/usr/bin/python3", [script, registry.Host], new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        result.AssertSuccess();
        Assert.Equal(
        [
            $"first The push refers to repository [{registry.Host}/py/pushed]",
            "statuses ['Preparing', 'Pushed']",
            "errors []",
            "aux v1 True True",
            "repo-digest True",
            "registry-data True",
        ], result.Lines);
    }

    [Fact]
    public async Task Docker_py_creates_networks_runs_containers_on_them_and_removes_them()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "docker_py_networks.py");
        var result = await Processes.RunAsync("/usr/bin/python3", [script], new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        result.AssertSuccess();
        Assert.Equal(
        [
            "created pynet 10.55.0.0/24",
            "address 10.55.0.2",
            "resolved True",
            "members ['pyserver']",
            "listed ['pynet']",
            "in-use 403",
            "after-disconnect []",
            "gone network pynet not found",
        ], result.Lines);
    }
}
