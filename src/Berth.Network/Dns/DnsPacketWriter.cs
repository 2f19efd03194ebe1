using System.Buffers;
using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>Writes a DNS packet front to back, compressing names against those written before when asked.</summary>
internal sealed class DnsPacketWriter
{
    private const int MaxPointerOffset = 0x3fff;

    private readonly ArrayBufferWriter<byte> buffer = new(512);
    // Key: a name suffix as length-prefixed, lower-cased labels; value: where it was written.
    private readonly Dictionary<string, int> writtenSuffixes = new(StringComparer.Ordinal);

    public int Length => buffer.WrittenCount;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public void WriteName(string name, bool compress)
    {
        var labels = DnsName.ToLabels(name);
        for (var i = 0; i < labels.Count; i++)
        {
            if (compress)
            {
                var suffix = SuffixKey(labels, i);
                if (writtenSuffixes.TryGetValue(suffix, out var offset))
                {
                    WriteUInt16((ushort)(0xc000 | offset));
                    return;
                }
                if (Length <= MaxPointerOffset) writtenSuffixes[suffix] = Length;
            }
            WriteByte((byte)labels[i].Length);
            WriteBytes(labels[i]);
        }
        WriteByte(0);
    }

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    private void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    private static string SuffixKey(IReadOnlyList<byte[]> labels, int start)
    {
        var key = new System.Text.StringBuilder();
        for (var i = start; i < labels.Count; i++)
        {
            key.Append((char)labels[i].Length);
            foreach (var b in labels[i]) key.Append((char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b));
        }
        return key.ToString();
    }
}
