using Berth.Api.Wire;
using Berth.Engine.Build;
using Berth.Engine.Logs;
using Berth.Engine.Streams;

namespace Berth.Engine.Tests;

/// <summary>The classic builder's pure parts: Go renderings in history, the cache comparison, build args, stream framing.</summary>
public sealed class BuildLogicTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(30_000_000_000L, "30s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(500_000_000L, "500ms")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(7_200_000_000_000L, "2h0m0s")]
    [InlineData(1_500L, "1.5µs")]
    public void Durations_read_as_go_prints_them(long nanoseconds, string expected) =>
        Assert.Equal(expected, GoFormat.Duration(nanoseconds));

    [Fact]
    public void Healthcheck_and_lists_read_as_dockerd_writes_them_in_history()
    {
        var health = new HealthConfig { Test = ["CMD-SHELL", "curl -f \"http://x/\" || exit 1"], Interval = 30_000_000_000, Timeout = 3_000_000_000, Retries = 3 };
        Assert.Equal("&{[\"CMD-SHELL\" \"curl -f \\\"http://x/\\\" || exit 1\"] \"30s\" \"3s\" \"0s\" '\\x03'}", GoFormat.Healthcheck(health));
        Assert.Equal("[\"/bin/sh\" \"-c\" \"echo\\thi\"]", GoFormat.QuoteList(["/bin/sh", "-c", "echo\thi"]));
        Assert.Equal("[/bin/bash -c]", GoFormat.List(["/bin/bash", "-c"]));
        Assert.Equal("'A'", GoFormat.QuoteRune(65));
    }

    [Fact]
    public void The_cache_compares_what_dockerd_compares()
    {
        ContainerConfig Config() => new()
        {
            Cmd = ["/bin/sh", "-c", "#(nop) ", "ENV A=b"],
            Env = ["PATH=/bin", "A=b"],
            Labels = new() { ["x"] = "y" },
            ExposedPorts = new() { ["80/tcp"] = EmptyObject.Instance },
            WorkingDir = "/one",
            Hostname = "abc",
        };
        var a = Config();
        var b = Config();
        b.WorkingDir = "/two";
        b.Hostname = "def";
        Assert.True(BuildCache.Same(a, b));
        b.Labels!["x"] = "z";
        Assert.False(BuildCache.Same(a, b));
        var c = Config();
        c.Cmd = ["/bin/sh", "-c", "#(nop) ", "ENV A=c"];
        Assert.False(BuildCache.Same(a, c));
        var d = Config();
        d.OpenStdin = true;
        Assert.False(BuildCache.Same(d, d));
        var e = Config();
        e.User = "nobody";
        Assert.False(BuildCache.Same(a, e));
    }

    [Fact]
    public void Build_args_reach_a_stage_only_when_declared_there()
    {
        var args = new BuildArgs(new Dictionary<string, string?> { ["V"] = "2", ["UNUSED"] = "x", ["HTTP_PROXY"] = "http://proxy" });
        args.AddMetaArg("BASE", "busybox");
        var stage = args.CloneForStage();
        Assert.Equal(["HTTP_PROXY=http://proxy"], stage.FilterAllowed(new Dictionary<string, string>()));
        stage.AddArg("V", "1");
        stage.AddArg("BASE", null);
        Assert.Equal(["V=2", "BASE=busybox", "HTTP_PROXY=http://proxy"], stage.FilterAllowed(new Dictionary<string, string>()));
        // A variable of the environment shadows the arg.
        Assert.Equal(["BASE=busybox", "HTTP_PROXY=http://proxy"], stage.FilterAllowed(new Dictionary<string, string> { ["V"] = "env" }));
        Assert.False(stage.IsReferencedOrNotBuiltin("HTTP_PROXY"));
        Assert.True(stage.IsReferencedOrNotBuiltin("V"));
        args.MergeReferenced(stage);
        Assert.Equal(["UNUSED"], args.Unconsumed());
        Assert.Equal("busybox", args.MetaValues()["BASE"]);
    }

    [Fact]
    public async Task A_tar_cut_short_after_its_last_content_is_completed_to_whole_blocks()
    {
        var cut = new byte[512 + 47];
        cut[0] = (byte)'a';
        using var stream = new TarTailStream(new MemoryStream(cut));
        using var read = new MemoryStream();
        await stream.CopyToAsync(read);
        Assert.Equal(1024 + 1024, read.Length);
        Assert.Equal(cut, read.ToArray()[..cut.Length]);
        Assert.All(read.ToArray()[cut.Length..], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Multiplexed_frames_split_anywhere_come_out_whole_with_their_stream()
    {
        var received = new List<(OutputStream, string)>();
        var sink = new DemultiplexingStream((stream, bytes, _) =>
        {
            received.Add((stream, System.Text.Encoding.UTF8.GetString(bytes.Span)));
            return Task.CompletedTask;
        });
        using var framed = new MemoryStream();
        var writer = new MultiplexedWriter(framed, raw: false);
        await writer.WriteAsync(OutputStream.Stdout, "hello\n"u8.ToArray(), CancellationToken.None);
        await writer.WriteAsync(OutputStream.Stderr, "oops\n"u8.ToArray(), CancellationToken.None);
        var bytes = framed.ToArray();
        foreach (var chunk in bytes.Chunk(3)) await sink.WriteAsync(chunk);
        Assert.Equal("hello\n", string.Concat(received.Where(r => r.Item1 == OutputStream.Stdout).Select(r => r.Item2)));
        Assert.Equal("oops\n", string.Concat(received.Where(r => r.Item1 == OutputStream.Stderr).Select(r => r.Item2)));
    }
}
