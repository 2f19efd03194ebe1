using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>
/// One resource record. <see cref="Data"/> is the record's RDATA in wire form with any names in it
/// uncompressed, so a record read from one message can be written into another as it is.
/// </summary>
public sealed class DnsResourceRecord(string name, DnsRecordType type, DnsClass @class, uint timeToLive, byte[] data)
{
    public string Name { get; } = name;
    public DnsRecordType Type { get; } = type;
    public DnsClass Class { get; } = @class;
    public uint TimeToLive { get; } = timeToLive;
    public byte[] Data { get; } = data;

    /// <summary>An A record for an IPv4 address, an AAAA record for an IPv6 one.</summary>
    public static DnsResourceRecord ForAddress(string name, IPAddress address, uint timeToLive) =>
        new(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A,
            DnsClass.Internet, timeToLive, address.GetAddressBytes());

    /// <summary>A PTR record: <paramref name="name"/> (a reverse name) points to <paramref name="target"/>.</summary>
    public static DnsResourceRecord ForPointer(string name, string target, uint timeToLive)
    {
        var writer = new DnsPacketWriter();
        writer.WriteName(target, compress: false);
        return new(name, DnsRecordType.PTR, DnsClass.Internet, timeToLive, writer.ToArray());
    }

    /// <summary>The address of an A or AAAA record; null for other types.</summary>
    public IPAddress? Address => (Type, Data.Length) switch
    {
        (DnsRecordType.A, 4) or (DnsRecordType.AAAA, 16) => new IPAddress(Data),
        _ => null,
    };

    /// <summary>The name a PTR, CNAME or NS record points to; null for other types.</summary>
    public string? Target
    {
        get
        {
            if (Type is not (DnsRecordType.PTR or DnsRecordType.CNAME or DnsRecordType.NS)) return null;
            var reader = new DnsPacketReader(Data);
            return reader.ReadName();
        }
    }

    public override string ToString() => $"{Name} {TimeToLive} {Class} {Type} {(object?)Address ?? Target ?? Convert.ToHexString(Data)}";
}
