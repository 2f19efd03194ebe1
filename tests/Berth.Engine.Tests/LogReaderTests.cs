using System.Text;
using Berth.Engine.Logs;

namespace Berth.Engine.Tests;

/// <summary>The log reader on logs far larger than its 64 KiB chunks: whole, with --tail, with filters, and followed while written.</summary>
public sealed class LogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-logs-").FullName;
    private string LogPath => Path.Combine(_dir, "container.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A CRI line as conmon writes it: RFC 3339 time with nanoseconds, stream, F or P, content.</summary>
    private static string Line(int i, string stream, string content, bool partial = false) =>
        $"{Start.AddMilliseconds(i).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff}00+00:00 {stream} {(partial ? "P" : "F")} {content}\n";

    private static string Content(int i) => $"line {i:D7} " + new string((char)('a' + i % 26), i % 90);

    /// <summary>Writes <paramref name="count"/> lines, odd ones to stderr: several megabytes.</summary>
    private async Task WriteLogAsync(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++) text.Append(Line(i, i % 2 == 1 ? "stderr" : "stdout", Content(i)));
        await File.WriteAllTextAsync(LogPath, text.ToString());
    }

    private async Task<List<LogEntry>> ReadAsync(LogReadOptions options)
    {
        var entries = new List<LogEntry>();
        await foreach (var entry in LogReader.ReadAsync(LogPath, options, () => false, () => Task.CompletedTask, CancellationToken.None))
            entries.Add(entry);
        return entries;
    }

    private static string Text(LogEntry entry) => Encoding.UTF8.GetString(entry.Content.Span);

    [Fact]
    public async Task A_multi_megabyte_log_is_read_whole_in_order()
    {
        const int count = 60_000;
        await WriteLogAsync(count);
        Assert.True(new FileInfo(LogPath).Length > 5 * 1024 * 1024);

        var entries = await ReadAsync(new LogReadOptions());
        Assert.Equal(count, entries.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Content(i) + "\n", Text(entries[i]));
            Assert.Equal(i % 2 == 1 ? OutputStream.Stderr : OutputStream.Stdout, entries[i].Stream);
            Assert.Equal(Start.AddMilliseconds(i), entries[i].Time);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(2_500)]
    [InlineData(59_999)]
    public async Task Tail_gives_the_last_entries_of_a_large_log(int tail)
    {
        const int count = 60_000;
        await WriteLogAsync(count);
        var entries = await ReadAsync(new LogReadOptions { Tail = tail });
        Assert.Equal(Enumerable.Range(count - tail, tail).Select(i => Content(i) + "\n"), entries.Select(Text));
    }

    [Fact]
    public async Task Tail_counts_only_the_wanted_stream_and_window()
    {
        await WriteLogAsync(20_000);
        var stderr = await ReadAsync(new LogReadOptions { Stdout = false, Tail = 3 });
        Assert.Equal([Content(19_995) + "\n", Content(19_997) + "\n", Content(19_999) + "\n"], stderr.Select(Text));

        var until = await ReadAsync(new LogReadOptions { Tail = 2, Until = Start.AddMilliseconds(10_000) });
        Assert.Equal([Content(9_999) + "\n", Content(10_000) + "\n"], until.Select(Text));

        Assert.Empty(await ReadAsync(new LogReadOptions { Tail = 0 }));
        Assert.Equal(20_000, (await ReadAsync(new LogReadOptions { Tail = 1_000_000 })).Count);
        Assert.Equal(5, (await ReadAsync(new LogReadOptions { Since = Start.AddMilliseconds(19_995) })).Count);
    }

    [Fact]
    public async Task Lines_longer_than_a_chunk_and_an_unfinished_last_line()
    {
        var huge = new string('h', 3 * LogReader.ChunkSize + 17);
        await File.WriteAllTextAsync(LogPath, Line(0, "stdout", "first") + Line(1, "stdout", huge, partial: true) + Line(2, "stdout", "end of huge")
            + Line(3, "stderr", huge) + Line(4, "stdout", "last")[..20]);

        var all = await ReadAsync(new LogReadOptions());
        Assert.Equal(["first\n", huge, "end of huge\n", huge + "\n"], all.Select(Text));
        Assert.Equal([huge + "\n"], (await ReadAsync(new LogReadOptions { Tail = 1 })).Select(Text));
        Assert.Equal(["end of huge\n", huge + "\n"], (await ReadAsync(new LogReadOptions { Tail = 2 })).Select(Text));
    }

    [Fact]
    public async Task Follow_streams_what_is_written_until_the_container_exits()
    {
        await WriteLogAsync(50_000);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = true;
        var received = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var entry in LogReader.ReadAsync(LogPath, new LogReadOptions { Follow = true, Tail = 2 }, () => running, () => exited.Task, CancellationToken.None))
                lock (received) received.Add(Text(entry));
        });

        await WaitForAsync(received, 2);
        // Appended in pieces that split lines, and more than a chunk at once.
        var more = string.Concat(Enumerable.Range(50_000, 3_000).Select(i => Line(i, "stdout", Content(i))));
        await using (var log = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            var bytes = Encoding.UTF8.GetBytes(more);
            for (var at = 0; at < bytes.Length; at += 70_001)
            {
                await log.WriteAsync(bytes.AsMemory(at, Math.Min(70_001, bytes.Length - at)));
                await log.FlushAsync();
            }
        }
        await WaitForAsync(received, 3_002);
        running = false;
        exited.SetResult();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(49_998, 3_002).Select(i => Content(i) + "\n"), received);
    }

    private static async Task WaitForAsync(List<string> received, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            lock (received)
                if (received.Count >= count) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the follower did not catch up");
            await Task.Delay(20);
        }
    }
}
