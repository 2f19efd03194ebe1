using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>Reads a DNS packet front to back; every read past the end or into nonsense throws <see cref="DnsFormatException"/>.</summary>
internal ref struct DnsPacketReader(ReadOnlySpan<byte> packet)
{
    private readonly ReadOnlySpan<byte> packet = packet;

    public int Position { get; private set; }

    public readonly int Remaining => packet.Length - Position;

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw new DnsFormatException($"The packet ends before offset {Position + count}.");
        var bytes = packet.Slice(Position, count);
        Position += count;
        return bytes;
    }

    /// <summary>A name, following compression pointers; the reader moves past the name as it appears here.</summary>
    public string ReadName()
    {
        var text = new StringBuilder();
        var cursor = Position;
        // Each pointer must point before the stretch of labels it ends, so a chain of pointers
        // strictly moves backwards and always terminates.
        var segmentStart = Position;
        int? resumeAt = null;
        var wireLength = 1;
        while (true)
        {
            if (cursor >= packet.Length) throw new DnsFormatException("A name runs past the end of the packet.");
            var length = packet[cursor];
            if (length == 0)
            {
                cursor++;
                break;
            }
            switch (length & 0xc0)
            {
                case 0x00:
                    if (cursor + 1 + length > packet.Length) throw new DnsFormatException("A label runs past the end of the packet.");
                    wireLength += 1 + length;
                    if (wireLength > DnsName.MaxWireLength) throw new DnsFormatException($"A name is longer than {DnsName.MaxWireLength} bytes.");
                    if (text.Length > 0) text.Append('.');
                    DnsName.AppendLabel(text, packet.Slice(cursor + 1, length));
                    cursor += 1 + length;
                    break;
                case 0xc0:
                    if (cursor + 1 >= packet.Length) throw new DnsFormatException("A compression pointer runs past the end of the packet.");
                    var target = ((length & 0x3f) << 8) | packet[cursor + 1];
                    if (target >= segmentStart) throw new DnsFormatException("A compression pointer does not point backwards.");
                    resumeAt ??= cursor + 2;
                    cursor = segmentStart = target;
                    break;
                default:
                    throw new DnsFormatException($"Label type 0x{length & 0xc0:x2} is not supported.");
            }
        }
        Position = resumeAt ?? cursor;
        return text.ToString();
    }
}
