using System.IO.Compression;

namespace Berth.Images.Archive;

/// <summary>
/// A layer tar's shape without its file contents: the raw header, padding and trailer bytes,
/// and for each regular file its size and where its content was unpacked. With the unpacked
/// tree, <see cref="TarSplitReader"/> rebuilds the original stream byte for byte, so the layer's
/// digest (its diff ID) survives <c>docker save</c> without storing the tar twice.
/// Format (gzip): frames of <c>1 len bytes</c> (raw) or <c>2 size path</c> (file), ended by <c>0</c>.
/// </summary>
public sealed class TarSplitWriter(Stream output) : IAsyncDisposable
{
    private const int FlushThreshold = 256 * 1024;
    private readonly GZipStream _gzip = new(output, CompressionLevel.Fastest, leaveOpen: false);
    private readonly MemoryStream _raw = new();
    private readonly MemoryStream _frames = new();
    private int _files;

    /// <summary>Bytes that are not file content, in stream order.</summary>
    public void Raw(ReadOnlySpan<byte> bytes) => _raw.Write(bytes);

    /// <summary>Records a file's content; returns the file's index (used to name its shadow copy).</summary>
    public int File(long size, string relativePath)
    {
        using var frame = new BinaryWriter(_frames, System.Text.Encoding.UTF8, leaveOpen: true);
        EncodeRaw(frame);
        frame.Write((byte)2);
        frame.Write7BitEncodedInt64(size);
        frame.Write(relativePath);
        return _files++;
    }

    /// <summary>Moves encoded frames to the compressed output once enough have gathered.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        if (_frames.Length < FlushThreshold) return;
        await WriteFramesAsync(ct).ConfigureAwait(false);
    }

    public async Task CompleteAsync(CancellationToken ct)
    {
        using (var frame = new BinaryWriter(_frames, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            EncodeRaw(frame);
            frame.Write((byte)0);
        }
        await WriteFramesAsync(ct).ConfigureAwait(false);
        await _gzip.FlushAsync(ct).ConfigureAwait(false);
    }

    private void EncodeRaw(BinaryWriter frame)
    {
        if (_raw.Length == 0) return;
        frame.Write((byte)1);
        frame.Write7BitEncodedInt64(_raw.Length);
        frame.Write(_raw.GetBuffer(), 0, (int)_raw.Length);
        _raw.SetLength(0);
    }

    private async Task WriteFramesAsync(CancellationToken ct)
    {
        await _gzip.WriteAsync(_frames.GetBuffer().AsMemory(0, (int)_frames.Length), ct).ConfigureAwait(false);
        _frames.SetLength(0);
    }

    public ValueTask DisposeAsync() => _gzip.DisposeAsync();
}

/// <summary>Rebuilds a layer tar from a <see cref="TarSplitWriter"/> record and the unpacked files.</summary>
public static class TarSplitReader
{
    /// <param name="openFile">Opens file number <c>index</c>, unpacked at <c>relativePath</c>.</param>
    public static async Task WriteTarAsync(Stream split, Func<int, string, Stream> openFile, Stream output, CancellationToken ct)
    {
        await using var gzip = new GZipStream(split, CompressionMode.Decompress);
        var frames = new BufferedAsyncReader(gzip);
        var buffer = new byte[128 * 1024];
        var index = 0;
        while (true)
        {
            var kind = await frames.ReadByteAsync(ct).ConfigureAwait(false);
            switch (kind)
            {
                case 0:
                    return;
                case 1:
                    var length = await frames.Read7BitInt64Async(ct).ConfigureAwait(false);
                    await frames.CopyToAsync(output, length, ct).ConfigureAwait(false);
                    break;
                case 2:
                    var size = await frames.Read7BitInt64Async(ct).ConfigureAwait(false);
                    var path = await frames.ReadStringAsync(ct).ConfigureAwait(false);
                    await using (var file = openFile(index++, path))
                    {
                        var remaining = size;
                        while (remaining > 0)
                        {
                            var n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct).ConfigureAwait(false);
                            if (n == 0) throw new IOException($"layer file {path} is shorter than when it was unpacked");
                            await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                            remaining -= n;
                        }
                    }
                    break;
                default:
                    throw new InvalidDataException($"tar-split record has an unknown frame type {kind}");
            }
        }
    }

    /// <summary>Reads the frame encoding (bytes, 7-bit varints, length-prefixed UTF-8) from a stream asynchronously.</summary>
    private sealed class BufferedAsyncReader(Stream inner)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start, _end;

        public async ValueTask<byte> ReadByteAsync(CancellationToken ct)
        {
            if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                throw new InvalidDataException("tar-split record is truncated");
            return _buffer[_start++];
        }

        public async ValueTask<long> Read7BitInt64Async(CancellationToken ct)
        {
            long result = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                var b = await ReadByteAsync(ct).ConfigureAwait(false);
                result |= (long)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new InvalidDataException("tar-split record has a bad length");
        }

        public async ValueTask<string> ReadStringAsync(CancellationToken ct)
        {
            var length = (int)await Read7BitInt64Async(ct).ConfigureAwait(false);
            var bytes = new byte[length];
            for (var i = 0; i < length; i++) bytes[i] = await ReadByteAsync(ct).ConfigureAwait(false);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        public async Task CopyToAsync(Stream output, long count, CancellationToken ct)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                    throw new InvalidDataException("tar-split record is truncated");
                var n = (int)Math.Min(count, _end - _start);
                await output.WriteAsync(_buffer.AsMemory(_start, n), ct).ConfigureAwait(false);
                _start += n;
                count -= n;
            }
        }

        private async ValueTask<bool> FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await inner.ReadAsync(_buffer, ct).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
