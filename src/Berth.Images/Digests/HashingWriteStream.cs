using System.Security.Cryptography;
using Berth.Images.Storage;

namespace Berth.Images.Digests;

/// <summary>Writes through to an inner stream (left open), hashing and counting every byte that passes.</summary>
public sealed class HashingWriteStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesWritten { get; private set; }

    /// <summary>The digest of everything written so far; call once, after the last write.</summary>
    public Digest Finish() => Digest.FromSha256Hex(Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        BytesWritten += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        BytesWritten += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
