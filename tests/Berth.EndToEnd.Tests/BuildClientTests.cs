using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Builds from other clients than the docker CLI: the Docker SDK for Python and docker-compose.</summary>
public sealed class BuildClientTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Docker_py_builds_tags_and_reports_failures()
    {
        var dir = BuildContexts.Write(Daemon, "docker-py",
            ("Dockerfile", "FROM busybox\nARG WHO\nRUN echo \"built by $WHO\" > /who\nCMD [\"cat\", \"/who\"]\n"),
            ("Failing.Dockerfile", "FROM busybox\nRUN exit 5\n"));
        var script = Path.Combine(AppContext.BaseDirectory, "Clients", "docker_py_build.py");
        var result = await Processes.RunAsync("/usr/bin/python3", [script, dir], new Dictionary<string, string> { ["DOCKER_HOST"] = Daemon.Host });
        result.AssertSuccess();
        Assert.Equal(
        [
            "tags ['py/built:1']",
            "steps 5",
            "aux True",
            "label docker-py",
            "run built by python",
            "missing 500 Cannot locate specified Dockerfile: Missing.Dockerfile",
            "failed The command '/bin/sh -c exit 5' returned a non-zero code: 5",
        ], result.Lines);
    }

    [Fact]
    public async Task Docker_compose_builds_a_service_with_its_args()
    {
        var dir = BuildContexts.Write(Daemon, "compose",
            ("docker-compose.yml", """
                version: "3.8"
                services:
                  web:
                    build:
                      context: ./web
                      args:
                        GREETING: hello-compose
                    image: composed/web:1
                """),
            ("web/Dockerfile", "FROM busybox\nARG GREETING\nRUN echo \"$GREETING\" > /greeting\nCMD [\"cat\", \"/greeting\"]\n"));
        var build = await Processes.RunAsync("/usr/bin/docker-compose", ["--project-directory", dir, "-f", Path.Combine(dir, "docker-compose.yml"), "build"],
            new Dictionary<string, string> { ["DOCKER_HOST"] = Daemon.Host, ["DOCKER_CONFIG"] = Daemon.DockerConfig }, timeout: TimeSpan.FromMinutes(2));
        build.AssertSuccess();
        Assert.Contains("Successfully tagged composed/web:1", build.Stdout + build.Stderr);
        Assert.Equal("hello-compose", (await Daemon.DockerAsync("run", "--rm", "composed/web:1")).AssertSuccess().Stdout.Trim());
    }
}
