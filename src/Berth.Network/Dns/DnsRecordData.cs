namespace Berth.Network.Dns;

/// <summary>
/// Reads RDATA. The types whose RDATA holds names that may be compressed (RFC 1035 and RFC 3597 §4)
/// have those names expanded, so the bytes no longer depend on the message they came in.
/// </summary>
internal static class DnsRecordData
{
    public static byte[] Read(ref DnsPacketReader reader, DnsRecordType type, int length)
    {
        if (length > reader.Remaining) throw new DnsFormatException($"A {type} record's data runs past the end of the packet.");
        var end = reader.Position + length;
        var data = type switch
        {
            DnsRecordType.A when length != 4 => throw new DnsFormatException($"An A record has {length} bytes of data, not 4."),
            DnsRecordType.AAAA when length != 16 => throw new DnsFormatException($"An AAAA record has {length} bytes of data, not 16."),
            DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR => Expand(ref reader, fixedBefore: 0, names: 1, fixedAfter: 0),
            DnsRecordType.MX => Expand(ref reader, fixedBefore: 2, names: 1, fixedAfter: 0),
            DnsRecordType.SRV => Expand(ref reader, fixedBefore: 6, names: 1, fixedAfter: 0),
            DnsRecordType.SOA => Expand(ref reader, fixedBefore: 0, names: 2, fixedAfter: 20),
            _ => reader.ReadBytes(length).ToArray(),
        };
        if (reader.Position != end) throw new DnsFormatException($"A {type} record's data length does not match its content.");
        return data;
    }

    private static byte[] Expand(ref DnsPacketReader reader, int fixedBefore, int names, int fixedAfter)
    {
        var writer = new DnsPacketWriter();
        writer.WriteBytes(reader.ReadBytes(fixedBefore));
        for (var i = 0; i < names; i++) writer.WriteName(reader.ReadName(), compress: false);
        writer.WriteBytes(reader.ReadBytes(fixedAfter));
        return writer.ToArray();
    }
}
