using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>docker logs</c> of a log many times the reader's chunk size, whole, with --tail and followed.</summary>
public sealed class ContainerLogsTests
{
    [Fact]
    public async Task A_large_log_reads_whole_and_with_tail()
    {
        await using var daemon = await ContainerHelpers.StartWithBusyboxAsync();
        (await daemon.DockerAsync("run", "--name", "big", "busybox", "seq", "1", "300000")).AssertSuccess();

        var all = (await daemon.DockerAsync("logs", "big")).AssertSuccess();
        Assert.Equal(300_000, all.Lines.Length);
        Assert.Equal("1", all.Lines[0]);
        Assert.Equal("300000", all.Lines[^1]);
        Assert.Equal("299998\n299999\n300000\n", (await daemon.DockerAsync("logs", "--tail", "3", "big")).AssertSuccess().Stdout);
        Assert.Equal("", (await daemon.DockerAsync("logs", "--tail", "0", "big")).AssertSuccess().Stdout);
        // -f on an exited container returns at once, after the tail.
        Assert.Equal("300000\n", (await daemon.DockerAsync("logs", "-f", "--tail", "1", "big")).AssertSuccess().Stdout);
    }
}
