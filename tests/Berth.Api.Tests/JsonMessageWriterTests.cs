using System.Text;
using Berth.Api.Wire;

namespace Berth.Api.Tests;

public class JsonMessageWriterTests
{
    /// <summary>Records each write separately, as each becomes its own HTTP chunk.</summary>
    private sealed class WriteRecorder : Stream
    {
        public List<string> Writes { get; } = [];
        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(Encoding.UTF8.GetString(buffer, offset, count));
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(Encoding.UTF8.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Each_message_leaves_with_its_line_end_in_one_write()
    {
        var output = new WriteRecorder();
        var writer = new JsonMessageWriter(output);
        await writer.StreamAsync("Loaded image: busybox:latest\n");
        await writer.ErrorAsync("bad");
        Assert.Equal(["{\"stream\":\"Loaded image: busybox:latest\\n\"}\r\n", "{\"errorDetail\":{\"message\":\"bad\"},\"error\":\"bad\"}\r\n"], output.Writes);
    }

    [Fact]
    public async Task Progress_carries_details_and_a_bar()
    {
        var output = new WriteRecorder();
        await new JsonMessageWriter(output).ProgressAsync("Loading layer", "abc", 500_000, 1_000_000);
        var message = System.Text.Json.JsonSerializer.Deserialize(Assert.Single(output.Writes), Json.WireJson.Default.JsonMessage)!;
        Assert.Equal("Loading layer", message.Status);
        Assert.Equal("abc", message.Id);
        Assert.Equal((500_000, 1_000_000), (message.ProgressDetail!.Current, message.ProgressDetail.Total));
        Assert.Equal("[" + new string('=', 25) + ">" + new string(' ', 25) + "]    500kB/1MB", message.Progress);
    }
}
