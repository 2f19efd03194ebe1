namespace Berth.Engine.Build;

/// <summary>
/// A tar stream completed at its end: zeros up to the next 512-byte block, then the two zero blocks
/// that end an archive. The docker CLI sends a context with a Dockerfile from outside it cut short
/// after the last entry's content (its tar writer is closed after the pipe it writes to), which Go's
/// tar reader, and so dockerd, takes as a normal end. A complete archive is read unchanged.
/// </summary>
public sealed class TarTailStream(Stream inner) : Stream
{
    private long _position;
    private long _tailLeft = -1;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        if (_tailLeft < 0 && Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) is > 0 and var n) return n;
        return Tail(buffer.Span);
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        if (_tailLeft < 0 && Counted(inner.Read(buffer)) is > 0 and var n) return n;
        return Tail(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int Counted(int n)
    {
        if (n > 0) _position += n;
        else _tailLeft = (512 - _position % 512) % 512 + 1024;
        return n;
    }

    private int Tail(Span<byte> buffer)
    {
        var take = (int)Math.Min(_tailLeft, buffer.Length);
        buffer[..take].Clear();
        _tailLeft -= take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
