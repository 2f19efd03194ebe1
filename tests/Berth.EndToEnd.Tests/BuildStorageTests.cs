using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>The builder on the vfs storage driver, whose snapshots are full copies rather than overlays.</summary>
public sealed class BuildStorageTests
{
    [Fact]
    public async Task A_build_on_vfs_runs_copies_and_caches()
    {
        await using var daemon = await BerthDaemon.StartWithBusyboxAsync("""{"storage-driver": "vfs"}""");
        var dir = BuildContexts.Write(daemon, "vfs", ("Dockerfile", """
            FROM busybox
            WORKDIR /app
            COPY in.txt .
            RUN cat in.txt > out.txt && rm in.txt
            CMD ["cat", "/app/out.txt"]
            """), ("in.txt", "through vfs\n"));
        (await daemon.BuildAsync("-t", "vfs-built", dir)).AssertSuccess();
        Assert.Equal("through vfs", (await daemon.DockerAsync("run", "--rm", "vfs-built")).AssertSuccess().Stdout.Trim());
        Assert.Equal(1, (await daemon.DockerAsync("run", "--rm", "vfs-built", "ls", "/app/in.txt")).ExitCode);
        var again = (await daemon.BuildAsync("-t", "vfs-built", dir)).AssertSuccess();
        Assert.Equal(4, again.Stdout.Split('\n').Count(l => l == " ---> Using cache"));
    }
}
