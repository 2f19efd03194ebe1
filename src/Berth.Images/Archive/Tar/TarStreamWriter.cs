using System.Globalization;
using System.Text;

namespace Berth.Images.Archive.Tar;

/// <summary>
/// Writes a tar stream: a ustar header when the entry fits one, with a PAX extension
/// record before it for long or non-ASCII names, large numbers, sub-second times and
/// extended attributes (whose binary values are kept as they are).
/// Write a header, then exactly <see cref="TarHeader.Size"/> bytes of content for regular files.
/// </summary>
public sealed class TarStreamWriter(Stream output) : IAsyncDisposable
{
    private const int Block = 512;
    private static readonly byte[] Zeros = new byte[Block * 2];
    private long _expected;
    private long _written;
    private bool _closed;

    public async Task WriteHeaderAsync(TarHeader header, CancellationToken ct = default)
    {
        await FinishContentAsync(ct).ConfigureAwait(false);
        var name = header.Kind == TarEntryKind.Directory && !header.Name.EndsWith('/') ? header.Name + "/" : header.Name;
        var pax = new List<(string Key, byte[] Value)>();
        var (ustarName, prefix) = SplitUstarName(name, out var nameFits);
        if (!nameFits) pax.Add(("path", Encoding.UTF8.GetBytes(name)));
        if (!FitsUstarString(header.LinkName, 100)) pax.Add(("linkpath", Encoding.UTF8.GetBytes(header.LinkName)));
        var size = header.IsRegular ? header.Size : 0;
        if (size >= 1L << 33) pax.Add(("size", Ascii(size)));
        if (header.Uid is < 0 or >= 1 << 21) pax.Add(("uid", Ascii(header.Uid)));
        if (header.Gid is < 0 or >= 1 << 21) pax.Add(("gid", Ascii(header.Gid)));
        if (!FitsUstarString(header.UserName, 32)) pax.Add(("uname", Encoding.UTF8.GetBytes(header.UserName)));
        if (!FitsUstarString(header.GroupName, 32)) pax.Add(("gname", Encoding.UTF8.GetBytes(header.GroupName)));
        var seconds = header.ModTime.ToUnixTimeSeconds();
        var subSecondTicks = header.ModTime.UtcTicks % TimeSpan.TicksPerSecond;
        if (subSecondTicks != 0 || seconds is < 0 or >= 1L << 33)
            pax.Add(("mtime", Encoding.ASCII.GetBytes(FormatPaxTime(header.ModTime))));
        foreach (var (key, value) in header.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
            pax.Add(("SCHILY.xattr." + key, value));

        if (pax.Count > 0)
        {
            var records = EncodePax(pax);
            var paxName = TruncateUtf8("PaxHeaders.0/" + Path.GetFileName(name.TrimEnd('/')), 100);
            var block = BuildBlock(paxName, "", TarEntryKind.PaxLocal, records.Length, 0, 0, 0, "", "", seconds is < 0 or >= 1L << 33 ? 0 : seconds, 0, 0);
            await output.WriteAsync(block, ct).ConfigureAwait(false);
            await output.WriteAsync(records, ct).ConfigureAwait(false);
            await WritePaddingAsync(records.Length, ct).ConfigureAwait(false);
        }

        var main = BuildBlock(ustarName, prefix, header.Kind == TarEntryKind.RegularV7 ? TarEntryKind.Regular : header.Kind,
            size >= 1L << 33 ? 0 : size, header.Mode,
            header.Uid is < 0 or >= 1 << 21 ? 0 : header.Uid, header.Gid is < 0 or >= 1 << 21 ? 0 : header.Gid,
            TruncateUtf8(header.UserName, 32), TruncateUtf8(header.GroupName, 32),
            seconds is < 0 or >= 1L << 33 ? 0 : seconds, header.DevMajor, header.DevMinor,
            TruncateUtf8(header.LinkName, 100));
        await output.WriteAsync(main, ct).ConfigureAwait(false);
        _expected = size;
        _written = 0;
    }

    public async Task WriteContentAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (_written + data.Length > _expected) throw new InvalidOperationException("tar entry content is longer than its header says");
        await output.WriteAsync(data, ct).ConfigureAwait(false);
        _written += data.Length;
    }

    /// <summary>A write-only stream over the current entry's content, for producers that write to streams.</summary>
    public Stream OpenContent() => new ContentStream(this);

    /// <summary>Copies exactly the header's size from <paramref name="source"/>; fails if the source is shorter or longer.</summary>
    public async Task CopyContentFromAsync(Stream source, CancellationToken ct = default)
    {
        var buffer = new byte[128 * 1024];
        while (_written < _expected)
        {
            var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _expected - _written)), ct).ConfigureAwait(false);
            if (n == 0) throw new IOException("file is shorter than its tar header says (it changed while being archived)");
            await WriteContentAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        if (await source.ReadAsync(buffer.AsMemory(0, 1), ct).ConfigureAwait(false) != 0)
            throw new IOException("file is longer than its tar header says (it changed while being archived)");
    }

    /// <summary>Writes the two end blocks. The output stream stays open.</summary>
    public async Task CloseAsync(CancellationToken ct = default)
    {
        if (_closed) return;
        await FinishContentAsync(ct).ConfigureAwait(false);
        await output.WriteAsync(Zeros, ct).ConfigureAwait(false);
        _closed = true;
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private async Task FinishContentAsync(CancellationToken ct)
    {
        if (_written != _expected) throw new InvalidOperationException("tar entry content is shorter than its header says");
        await WritePaddingAsync(_expected, ct).ConfigureAwait(false);
        _expected = _written = 0;
    }

    private Task WritePaddingAsync(long size, CancellationToken ct)
    {
        var padding = (int)((Block - size % Block) % Block);
        return padding == 0 ? Task.CompletedTask : output.WriteAsync(Zeros.AsMemory(0, padding), ct).AsTask();
    }

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    private static string FormatPaxTime(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        var text = seconds.ToString(CultureInfo.InvariantCulture);
        if (rest != 0) text += "." + Math.Abs(rest).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return text;
    }

    private static bool FitsUstarString(string s, int size) => s.Length <= size && Ascii7(s) && !s.Contains('\0');

    private static bool Ascii7(string s)
    {
        foreach (var c in s)
            if (c > 0x7f) return false;
        return true;
    }

    private static (string Name, string Prefix) SplitUstarName(string name, out bool fits)
    {
        fits = true;
        if (FitsUstarString(name, 100)) return (name, "");
        if (Ascii7(name) && name.Length <= 256)
        {
            // ustar can hold up to 155 bytes of directory in the prefix field.
            for (var i = name.Length - 1; i > 0; i--)
            {
                if (name[i] != '/') continue;
                if (i <= 155 && name.Length - i - 1 <= 100 && name.Length - i - 1 > 0) return (name[(i + 1)..], name[..i]);
            }
        }
        fits = false;
        return (TruncateUtf8(name, 100), "");
    }

    private static string TruncateUtf8(string s, int bytes)
    {
        if (Encoding.UTF8.GetByteCount(s) <= bytes) return s;
        var sb = new StringBuilder();
        var count = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            count += rune.Utf8SequenceLength;
            if (count > bytes) break;
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    private static byte[] EncodePax(List<(string Key, byte[] Value)> records)
    {
        using var ms = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            var body = keyBytes.Length + value.Length + 3; // ' ', '=', '\n'
            var length = body + 1;
            while (length != body + length.ToString(CultureInfo.InvariantCulture).Length)
                length = body + length.ToString(CultureInfo.InvariantCulture).Length;
            ms.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " "));
            ms.Write(keyBytes);
            ms.WriteByte((byte)'=');
            ms.Write(value);
            ms.WriteByte((byte)'\n');
        }
        return ms.ToArray();
    }

    private static byte[] BuildBlock(string name, string prefix, TarEntryKind kind, long size, int mode, int uid, int gid,
        string userName, string groupName, long mtime, int devMajor, int devMinor, string linkName = "")
    {
        var b = new byte[Block];
        PutString(b, 0, 100, name);
        PutOctal(b, 100, 8, mode & 0xfff);
        PutOctal(b, 108, 8, uid);
        PutOctal(b, 116, 8, gid);
        PutOctal(b, 124, 12, size);
        PutOctal(b, 136, 12, mtime);
        b[156] = (byte)kind;
        PutString(b, 157, 100, linkName);
        "ustar\0"u8.CopyTo(b.AsSpan(257));
        "00"u8.CopyTo(b.AsSpan(263));
        PutString(b, 265, 32, userName);
        PutString(b, 297, 32, groupName);
        if (kind is TarEntryKind.CharDevice or TarEntryKind.BlockDevice)
        {
            PutOctal(b, 329, 8, devMajor);
            PutOctal(b, 337, 8, devMinor);
        }
        else
        {
            PutOctal(b, 329, 8, 0);
            PutOctal(b, 337, 8, 0);
        }
        PutString(b, 345, 155, prefix);
        b.AsSpan(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var x in b) sum += x;
        var checksum = Convert.ToString(sum, 8).PadLeft(6, '0');
        Encoding.ASCII.GetBytes(checksum).CopyTo(b, 148);
        b[154] = 0;
        b[155] = (byte)' ';
        return b;
    }

    private static void PutString(byte[] b, int offset, int size, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, size)).CopyTo(b.AsSpan(offset, size));
    }

    private static void PutOctal(byte[] b, int offset, int size, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(size - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(b, offset);
        b[offset + size - 1] = 0;
    }

    private sealed class ContentStream(TarStreamWriter writer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("tar content is written asynchronously");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(writer.WriteContentAsync(buffer, cancellationToken));
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            writer.WriteContentAsync(buffer.AsMemory(offset, count), cancellationToken);
    }
}
