namespace Berth.Images.Storage;

/// <summary>
/// The base of Berth's forward-only, write-only stream wrappers: subclasses implement
/// <see cref="Write(ReadOnlySpan{byte})"/> and <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.
/// </summary>
public abstract class WriteOnlyStream : Stream
{
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => true;
    public sealed override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
