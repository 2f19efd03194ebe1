namespace Berth.Daemon.Http;

/// <summary>An upgraded connection whose reads end (return 0) when the client half-closes it, as <see cref="HalfClose"/> reports.</summary>
public sealed class HijackedStream(Stream inner, Task inputEnded) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (inputEnded.IsCompleted) return 0;
        var read = inner.ReadAsync(buffer, ct).AsTask();
        var first = await Task.WhenAny(read, inputEnded).ConfigureAwait(false);
        return first == read ? await read.ConfigureAwait(false) : 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override void Flush() => throw new NotSupportedException("synchronous I/O is not allowed");
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
