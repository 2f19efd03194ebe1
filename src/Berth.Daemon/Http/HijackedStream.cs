namespace Berth.Daemon.Http;

/// <summary>
/// A hijacked connection as one two-way stream: reads from <paramref name="input"/> (ending when
/// the client half-closes, as <see cref="HalfClose"/> reports), writes to <paramref name="output"/>.
/// For an upgraded connection both are the same stream; without an upgrade they are the request
/// and response bodies.
/// </summary>
public sealed class HijackedStream(Stream input, Stream output, Task inputEnded) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (inputEnded.IsCompleted) return 0;
        var read = input.ReadAsync(buffer, ct).AsTask();
        var first = await Task.WhenAny(read, inputEnded).ConfigureAwait(false);
        return first == read ? await read.ConfigureAwait(false) : 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => output.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => output.WriteAsync(buffer, offset, count, ct);
    public override Task FlushAsync(CancellationToken ct) => output.FlushAsync(ct);
    public override void Flush() => throw new NotSupportedException("synchronous I/O is not allowed");
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ReferenceEquals(input, output)) input.Dispose();
        base.Dispose(disposing);
    }
}
