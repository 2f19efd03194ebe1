namespace Berth.Daemon.Http;

/// <summary>One stream over a request body (reads) and a response body (writes), for clients that attach without upgrading.</summary>
public sealed class DuplexStream(Stream input, Stream output) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => input.ReadAsync(buffer, ct);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => input.ReadAsync(buffer, offset, count, ct);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => output.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => output.WriteAsync(buffer, offset, count, ct);
    public override Task FlushAsync(CancellationToken ct) => output.FlushAsync(ct);
    public override void Flush() => throw new NotSupportedException("synchronous I/O is not allowed");
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous I/O is not allowed");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
