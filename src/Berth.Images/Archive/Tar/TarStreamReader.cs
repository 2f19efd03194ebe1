using System.Buffers;
using System.Globalization;
using System.Text;

namespace Berth.Images.Archive.Tar;

/// <summary>
/// Reads a tar stream (ustar, PAX, GNU long names) entry by entry, without seeking. Every byte
/// that is not entry content — headers, extension records, padding, the end blocks and
/// anything after them — is passed to <c>onMetadata</c> in stream order, so a caller can
/// record it and later rebuild the stream byte for byte from the metadata and the extracted
/// files. The reader buffers its input (it consumes the stream to its end, so reading ahead
/// takes nothing from anyone): thousands of small entries then cost few I/O calls.
/// </summary>
public sealed class TarStreamReader(Stream input, Action<ReadOnlySpan<byte>>? onMetadata = null)
{
    private const int Block = 512;
    private readonly byte[] _block = new byte[Block];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _bufferStart, _bufferEnd;
    private long _remaining;
    private long _padding;
    private bool _finished;
    private Dictionary<string, byte[]>? _globalPax;

    /// <summary>The next entry, or null after the last one (the rest of the stream has then been consumed).</summary>
    public async ValueTask<TarHeader?> NextAsync(CancellationToken ct = default)
    {
        if (_finished) return null;
        await SkipAsync(_remaining + _padding, ct).ConfigureAwait(false);
        _remaining = _padding = 0;

        Dictionary<string, byte[]>? pax = null;
        string? longName = null, longLink = null;
        while (true)
        {
            if (!await ReadBlockAsync(ct).ConfigureAwait(false))
            {
                _finished = true;
                return null;
            }
            if (IsZero(_block))
            {
                await DrainAsync(ct).ConfigureAwait(false);
                _finished = true;
                return null;
            }
            VerifyChecksum(_block);
            var kind = (TarEntryKind)_block[156];
            var size = ParseNumber(_block.AsSpan(124, 12), "size");
            if (size < 0) throw new InvalidDataException("tar header has a negative size");
            switch (kind)
            {
                case TarEntryKind.PaxLocal:
                    pax = ParsePax(await ReadExtensionAsync(size, ct).ConfigureAwait(false));
                    continue;
                case TarEntryKind.PaxGlobal:
                    _globalPax = ParsePax(await ReadExtensionAsync(size, ct).ConfigureAwait(false));
                    continue;
                case TarEntryKind.GnuLongName:
                    longName = CString(await ReadExtensionAsync(size, ct).ConfigureAwait(false));
                    continue;
                case TarEntryKind.GnuLongLink:
                    longLink = CString(await ReadExtensionAsync(size, ct).ConfigureAwait(false));
                    continue;
            }
            var header = ParseHeader(_block, kind, size);
            if (longName is not null) header.Name = longName;
            if (longLink is not null) header.LinkName = longLink;
            if (_globalPax is not null) ApplyPax(header, _globalPax);
            if (pax is not null) ApplyPax(header, pax);
            if (kind == TarEntryKind.RegularV7)
                header.Kind = header.Name.EndsWith('/') ? TarEntryKind.Directory : TarEntryKind.Regular;
            if (header.Kind is TarEntryKind.HardLink or TarEntryKind.Symlink or TarEntryKind.CharDevice
                or TarEntryKind.BlockDevice or TarEntryKind.Directory or TarEntryKind.Fifo)
            {
                // Such entries carry no content even if the size field says otherwise; it is skipped as metadata.
                _remaining = 0;
                _padding = PaddingFor(header.Size) + header.Size;
            }
            else
            {
                _remaining = header.Size;
                _padding = PaddingFor(header.Size);
            }
            return header;
        }
    }

    /// <summary>Reads the current entry's content; returns 0 at its end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_remaining == 0) return 0;
        if (buffer.Length > _remaining) buffer = buffer[..(int)_remaining];
        var n = await ReadRawAsync(buffer, ct).ConfigureAwait(false);
        if (n == 0) throw new EndOfStreamException("tar stream ended inside an entry's content");
        _remaining -= n;
        return n;
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> with as much of the current entry's content as it holds
    /// (fewer bytes only at the entry's end); returns the count, 0 at the end.
    /// </summary>
    public async ValueTask<int> ReadFullAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Reads from the buffer, or straight from the input when the buffer is empty and the request is large.</summary>
    private async ValueTask<int> ReadRawAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (_bufferStart == _bufferEnd)
        {
            if (destination.Length >= _buffer.Length) return await input.ReadAsync(destination, ct).ConfigureAwait(false);
            _bufferStart = 0;
            _bufferEnd = await input.ReadAsync(_buffer, ct).ConfigureAwait(false);
            if (_bufferEnd == 0) return 0;
        }
        var n = Math.Min(destination.Length, _bufferEnd - _bufferStart);
        _buffer.AsMemory(_bufferStart, n).CopyTo(destination);
        _bufferStart += n;
        return n;
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes, or fewer only at the end of the input.</summary>
    private async ValueTask<int> ReadRawFullAsync(Memory<byte> destination, CancellationToken ct)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = await ReadRawAsync(destination[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Copies the rest of the current entry's content to <paramref name="destination"/>.</summary>
    public async Task CopyContentToAsync(Stream destination, CancellationToken ct = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int n;
            while ((n = await ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long PaddingFor(long size) => (Block - size % Block) % Block;

    private async ValueTask<bool> ReadBlockAsync(CancellationToken ct)
    {
        var read = await ReadRawFullAsync(_block, ct).ConfigureAwait(false);
        if (read == 0) return false;
        onMetadata?.Invoke(_block.AsSpan(0, read));
        if (read < Block) throw new EndOfStreamException("tar stream ended inside a header");
        return true;
    }

    private async ValueTask<byte[]> ReadExtensionAsync(long size, CancellationToken ct)
    {
        if (size > 16 * 1024 * 1024) throw new InvalidDataException("tar extension header is too large");
        var data = new byte[size + PaddingFor(size)];
        var read = await ReadRawFullAsync(data, ct).ConfigureAwait(false);
        onMetadata?.Invoke(data.AsSpan(0, read));
        if (read < data.Length) throw new EndOfStreamException("tar stream ended inside an extension header");
        return data.AsSpan(0, (int)size).ToArray();
    }

    private async ValueTask SkipAsync(long count, CancellationToken ct)
    {
        if (count == 0) return;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 64 * 1024));
        try
        {
            while (count > 0)
            {
                var n = await ReadRawAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), ct).ConfigureAwait(false);
                if (n == 0) throw new EndOfStreamException("tar stream ended inside an entry");
                onMetadata?.Invoke(buffer.AsSpan(0, n));
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask DrainAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await ReadRawAsync(buffer, ct).ConfigureAwait(false)) > 0)
                onMetadata?.Invoke(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    private static void VerifyChecksum(ReadOnlySpan<byte> block)
    {
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        var recorded = ParseNumber(block.Slice(148, 8), "checksum");
        if (recorded != unsigned && recorded != signed) throw new InvalidDataException("invalid tar header checksum");
    }

    private static TarHeader ParseHeader(byte[] b, TarEntryKind kind, long size)
    {
        var span = b.AsSpan();
        var magic = span.Slice(257, 8);
        var isPosix = magic[..6].SequenceEqual("ustar\0"u8);
        var name = CString(span[..100]);
        if (isPosix)
        {
            var prefix = CString(span.Slice(345, 155));
            if (prefix.Length > 0) name = prefix + "/" + name;
        }
        var header = new TarHeader
        {
            Name = name,
            Kind = kind,
            Size = size,
            Mode = (int)(ParseNumber(span.Slice(100, 8), "mode") & 0xfff),
            Uid = (int)ParseNumber(span.Slice(108, 8), "uid"),
            Gid = (int)ParseNumber(span.Slice(116, 8), "gid"),
            ModTime = DateTimeOffset.FromUnixTimeSeconds(ParseNumber(span.Slice(136, 12), "mtime")),
            LinkName = CString(span.Slice(157, 100)),
        };
        if (isPosix || magic.SequenceEqual("ustar  \0"u8))
        {
            header.UserName = CString(span.Slice(265, 32));
            header.GroupName = CString(span.Slice(297, 32));
            header.DevMajor = (int)ParseNumber(span.Slice(329, 8), "devmajor");
            header.DevMinor = (int)ParseNumber(span.Slice(337, 8), "devminor");
        }
        return header;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>An octal field (space or NUL padded) or a GNU base-256 field (high bit set).</summary>
    internal static long ParseNumber(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            // Base-256, two's complement: a negative number is read through an inverting mask.
            byte invert = (field[0] & 0x40) != 0 ? (byte)0xff : (byte)0;
            ulong value = 0;
            for (var i = 0; i < field.Length; i++)
            {
                var c = (byte)(field[i] ^ invert);
                if (i == 0) c &= 0x7f;
                if (value >> 56 != 0) throw new InvalidDataException($"invalid tar header: {what} overflows");
                value = (value << 8) | c;
            }
            if (value >> 63 != 0) throw new InvalidDataException($"invalid tar header: {what} overflows");
            return invert == 0xff ? ~(long)value : (long)value;
        }
        var text = field;
        while (text.Length > 0 && text[0] is (byte)' ' or 0) text = text[1..];
        var end = text.IndexOfAny((byte)' ', (byte)0);
        if (end >= 0) text = text[..end];
        if (text.IsEmpty) return 0;
        long result = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'7') throw new InvalidDataException($"invalid tar header: bad {what} field");
            result = checked(result * 8 + (c - '0'));
        }
        return result;
    }

    /// <summary>PAX records, <c>"%d key=value\n"</c>, with values kept as raw bytes.</summary>
    private static Dictionary<string, byte[]> ParsePax(byte[] data)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var s = data.AsSpan();
        while (!s.IsEmpty)
        {
            if (s.IndexOfAnyExcept((byte)0) < 0) break;
            var space = s.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(Encoding.ASCII.GetString(s[..space]), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || length > s.Length || s[length - 1] != '\n')
                throw new InvalidDataException("invalid PAX record");
            var record = s[(space + 1)..(length - 1)];
            var eq = record.IndexOf((byte)'=');
            if (eq <= 0) throw new InvalidDataException("invalid PAX record");
            records[Encoding.UTF8.GetString(record[..eq])] = record[(eq + 1)..].ToArray();
            s = s[length..];
        }
        return records;
    }

    private static void ApplyPax(TarHeader header, Dictionary<string, byte[]> pax)
    {
        foreach (var (key, raw) in pax)
        {
            string Text() => Encoding.UTF8.GetString(raw);
            switch (key)
            {
                case "path": header.Name = Text(); break;
                case "linkpath": header.LinkName = Text(); break;
                case "size": header.Size = long.Parse(Text(), CultureInfo.InvariantCulture); break;
                case "uid": header.Uid = int.Parse(Text(), CultureInfo.InvariantCulture); break;
                case "gid": header.Gid = int.Parse(Text(), CultureInfo.InvariantCulture); break;
                case "uname": header.UserName = Text(); break;
                case "gname": header.GroupName = Text(); break;
                case "mtime": header.ModTime = ParsePaxTime(Text()); break;
                default:
                    if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        header.Xattrs[key["SCHILY.xattr.".Length..]] = raw;
                    break;
            }
        }
    }

    private static DateTimeOffset ParsePaxTime(string text)
    {
        var dot = text.IndexOf('.');
        var seconds = long.Parse(dot < 0 ? text : text[..dot], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var t = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (dot >= 0)
        {
            var frac = text[(dot + 1)..];
            if (frac.Length > 7) frac = frac[..7];
            t = t.AddTicks(long.Parse(frac.PadRight(7, '0'), CultureInfo.InvariantCulture) * (seconds < 0 ? -1 : 1));
        }
        return t;
    }
}
