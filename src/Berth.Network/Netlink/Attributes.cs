using System.Buffers.Binary;

namespace Berth.Network.Netlink;

/// <summary>Reads a run of netlink attributes (type, value), each padded to 4 bytes.</summary>
internal static class Attributes
{
    public static List<(ushort Type, byte[] Value)> Read(ReadOnlySpan<byte> span)
    {
        var result = new List<(ushort, byte[])>();
        while (span.Length >= 4)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(span);
            if (len < 4 || len > span.Length) break;
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & 0x3fff);
            result.Add((type, span[4..len].ToArray()));
            var step = (len + 3) & ~3;
            if (step >= span.Length) break;
            span = span[step..];
        }
        return result;
    }

    public static string String(byte[] value) => System.Text.Encoding.UTF8.GetString(value).TrimEnd('\0');
}
