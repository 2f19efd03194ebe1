using Berth.Images.Storage;

namespace Berth.Images.Archive;

/// <summary>A read-only stream that returns some already-read bytes before the rest of its inner stream.</summary>
public sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen = false) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    /// <summary>Reads up to <paramref name="count"/> bytes to look at, and returns a stream that still yields them.</summary>
    public static async Task<(byte[] Head, Stream Stream)> PeekAsync(Stream input, int count, CancellationToken ct)
    {
        var head = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await input.ReadAsync(head.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }
        var bytes = head[..read];
        return (bytes, new PrefixedStream(bytes, input));
    }

    public override int Read(Span<byte> buffer)
    {
        if (!_prefix.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.IsEmpty) return inner.ReadAsync(buffer, cancellationToken);
        return ValueTask.FromResult(Read(buffer.Span));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
