using System.Text;
using Berth.Runtime.Conmon;
using Berth.Runtime.Oci;

namespace Berth.Runtime.Tests;

public sealed class ConmonPipeTests
{
    [Theory]
    [InlineData("{\"data\": 42}", 11)]
    [InlineData("{\"data\": -1, \"message\": \"a } in {text\"}", 38)]
    [InlineData("{\"data\": -1, \"message\": \"escaped \\\" } \"}", 39)]
    [InlineData("{\"data\": 4", -1)]
    public void An_object_ends_at_its_own_closing_brace(string text, int end) =>
        Assert.Equal(end, SyncPipeReader.ObjectEnd(text));

    [Fact]
    public async Task Messages_are_read_one_at_a_time_across_reads()
    {
        var pipe = new MemoryStream(Encoding.UTF8.GetBytes("{\"data\": 7}\n{\"data\": -1, \"message\": \"exec failed: x\"}"));
        await using var reader = new SyncPipeReader(pipe);
        Assert.Equal(7, (await reader.ReadAsync(CancellationToken.None))!.Data);
        var failure = (await reader.ReadAsync(CancellationToken.None))!;
        Assert.Equal((-1, "exec failed: x"), (failure.Data, failure.Message));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Exec_processes_derive_from_the_containers_own()
    {
        var container = new SpecProcess
        {
            Env = ["PATH=/bin", "HOSTNAME=abc", "TERM=xterm", "FROMRUN=1"],
            Cwd = "/work",
            User = new SpecUser { Uid = 5, Gid = 5 },
            Capabilities = new SpecCapabilities { Bounding = ["CAP_CHOWN"], Effective = ["CAP_CHOWN"], Permitted = ["CAP_CHOWN"] },
            NoNewPrivileges = true,
        };
        var plain = ExecProcessBuilder.Build(container, new ExecProcessInput { Args = ["env"], Env = ["FROMRUN=2", "NEW=x"] });
        Assert.Equal(["PATH=/bin", "HOSTNAME=abc", "FROMRUN=2", "NEW=x"], plain.Env);
        Assert.Equal("/work", plain.Cwd);
        Assert.Equal(5u, plain.User.Uid);
        Assert.True(plain.NoNewPrivileges);
        Assert.Equal(["CAP_CHOWN"], plain.Capabilities!.Bounding);
        Assert.False(plain.Terminal);

        var tty = ExecProcessBuilder.Build(container, new ExecProcessInput
        {
            Args = ["sh"], Tty = true, ConsoleSize = [30, 100], WorkingDir = "/tmp", User = new ResolvedUser(0, 0, [0], "/root"), Privileged = true,
        });
        Assert.Contains("TERM=xterm", tty.Env);
        Assert.Equal((30u, 100u), (tty.ConsoleSize!.Height, tty.ConsoleSize.Width));
        Assert.Equal("/tmp", tty.Cwd);
        Assert.Equal(0u, tty.User.Uid);
        Assert.Equal(Capabilities.All, tty.Capabilities!.Bounding);
    }
}
