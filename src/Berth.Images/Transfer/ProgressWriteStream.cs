using Berth.Images.Storage;

namespace Berth.Images.Transfer;

/// <summary>Writes through to an inner stream (left open) and reports how much passed, at most every few hundred milliseconds.</summary>
internal sealed class ProgressWriteStream(Stream inner, Func<long, Task> report) : WriteOnlyStream
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private long _position;
    private DateTime _lastReport = DateTime.MinValue;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _position += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += buffer.Length;
        var now = DateTime.UtcNow;
        if (now - _lastReport < Interval) return;
        _lastReport = now;
        await report(_position).ConfigureAwait(false);
    }

    /// <summary>Reports the final count, however recently the last report was.</summary>
    public Task ReportFinalAsync() => report(_position);

    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
