using System.Buffers.Binary;
using Berth.Engine.Logs;

namespace Berth.Engine.Streams;

/// <summary>
/// The receiving end of <see cref="MultiplexedWriter"/>'s framing, as a writable stream: each
/// frame's payload goes to <paramref name="output"/> with the stream it belongs to. Frames may
/// arrive split across writes.
/// </summary>
public sealed class DemultiplexingStream(Func<OutputStream, ReadOnlyMemory<byte>, CancellationToken, Task> output) : Stream
{
    private readonly byte[] _header = new byte[8];
    private int _headerFilled;
    private int _payloadLeft;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            if (_payloadLeft == 0)
            {
                var take = Math.Min(8 - _headerFilled, buffer.Length);
                buffer[..take].CopyTo(_header.AsMemory(_headerFilled));
                _headerFilled += take;
                buffer = buffer[take..];
                if (_headerFilled < 8) return;
                _payloadLeft = (int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
                _headerFilled = 0;
                continue;
            }
            var chunk = buffer[..Math.Min(_payloadLeft, buffer.Length)];
            await output((OutputStream)_header[0], chunk, cancellationToken).ConfigureAwait(false);
            _payloadLeft -= chunk.Length;
            buffer = buffer[chunk.Length..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
