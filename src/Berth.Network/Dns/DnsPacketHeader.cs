using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>
/// The ID and flags at the start of a raw packet, for packets that are passed on without being parsed
/// (forwarded answers) or that may not parse at all.
/// </summary>
internal static class DnsPacketHeader
{
    public static ushort ReadId(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet);

    public static void WriteId(Span<byte> packet, ushort id) => BinaryPrimitives.WriteUInt16BigEndian(packet, id);

    public static DnsHeaderFlags ReadFlags(ReadOnlySpan<byte> packet) => new(BinaryPrimitives.ReadUInt16BigEndian(packet[2..]));
}
