using System.Security.Cryptography;
using Berth.Images.Storage;

namespace Berth.Images.Digests;

/// <summary>Reads through to an inner stream, hashing and counting every byte that passes.</summary>
public sealed class HashingReadStream(Stream inner, bool leaveOpen = false) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    /// <summary>The digest of everything read so far; call once, after the last read.</summary>
    public Digest Finish() => Digest.FromSha256Hex(Convert.ToHexStringLower(_hash.GetHashAndReset()));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span[..n]);
        BytesRead += n;
        return n;
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!leaveOpen) inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
