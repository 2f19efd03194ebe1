namespace Berth.Images.Transfer;

/// <summary>Reads through to an inner stream and reports how far it got, at most every few hundred milliseconds.</summary>
internal sealed class ProgressReadStream(Stream inner, Func<long, Task> report) : Stream
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private long _position;
    private DateTime _lastReport = DateTime.MinValue;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += n;
        var now = DateTime.UtcNow;
        if (n == 0 || now - _lastReport >= Interval)
        {
            _lastReport = now;
            await report(_position).ConfigureAwait(false);
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
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
