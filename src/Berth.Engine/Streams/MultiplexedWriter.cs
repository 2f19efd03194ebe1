using System.Buffers.Binary;
using Berth.Engine.Logs;

namespace Berth.Engine.Streams;

/// <summary>
/// Writes container output to a client: raw bytes for a TTY container, otherwise Docker's
/// multiplexed framing (an 8-byte header: stream, three zero bytes, big-endian length).
/// </summary>
public sealed class MultiplexedWriter(Stream output, bool raw)
{
    public Stream Output => output;

    public async ValueTask WriteAsync(OutputStream stream, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (payload.Length == 0) return;
        if (raw)
        {
            await output.WriteAsync(payload, ct).ConfigureAwait(false);
            return;
        }
        // One write per frame: clients that parse frame by frame must never see a header alone.
        var frame = new byte[8 + payload.Length];
        frame[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.Span.CopyTo(frame.AsSpan(8));
        await output.WriteAsync(frame, ct).ConfigureAwait(false);
    }

    public Task FlushAsync(CancellationToken ct) => output.FlushAsync(ct);
}
