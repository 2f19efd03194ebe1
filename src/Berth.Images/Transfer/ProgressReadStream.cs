using Berth.Images.Storage;

namespace Berth.Images.Transfer;

/// <summary>Reads through to an inner stream and reports how far it got, at most every few hundred milliseconds.</summary>
internal sealed class ProgressReadStream(Stream inner, Func<long, Task> report) : ReadOnlyStream
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

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _position += n;
        return n;
    }

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
