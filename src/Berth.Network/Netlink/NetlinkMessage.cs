using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Netlink;

/// <summary>
/// Builds one netlink request: the 16-byte header, a fixed family header (ifinfomsg, ifaddrmsg,
/// rtmsg) and attributes, nested ones through <see cref="BeginNested"/>/<see cref="EndNested"/>.
/// Lengths are patched when the message is finished.
/// </summary>
internal sealed class NetlinkMessage
{
    public const ushort NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_DUMP = 0x300, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_REPLACE = 0x100;
    private byte[] buffer = new byte[256];
    private int length;

    public NetlinkMessage(ushort type, ushort flags)
    {
        length = 16;
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(6), (ushort)(flags | NLM_F_REQUEST));
    }

    /// <summary>Appends raw bytes (a family header), padded to 4.</summary>
    public NetlinkMessage Header(ReadOnlySpan<byte> bytes)
    {
        Append(bytes);
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var start = length;
        Append(stackalloc byte[4]);
        Append(value);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(start), (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(start + 2), type);
        return this;
    }

    public NetlinkMessage Attribute(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attribute(type, bytes);
    }

    public NetlinkMessage Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = length;
        Append(stackalloc byte[4]);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(start + 2), type);
        return start;
    }

    public NetlinkMessage EndNested(int start)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(start), (ushort)(length - start));
        return this;
    }

    /// <summary>The finished bytes with the given sequence number.</summary>
    public ReadOnlySpan<byte> Finish(uint sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), sequence);
        return buffer.AsSpan(0, length);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var padded = (bytes.Length + 3) & ~3;
        if (length + padded > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + padded));
        bytes.CopyTo(buffer.AsSpan(length));
        buffer.AsSpan(length + bytes.Length, padded - bytes.Length).Clear();
        length += padded;
    }
}
