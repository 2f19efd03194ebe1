namespace Berth.Network.Dns;

/// <summary>The flags word of the header (RFC 1035 §4.1.1): QR, opcode, AA, TC, RD, RA, AD, CD and RCODE.</summary>
internal readonly record struct DnsHeaderFlags(ushort Value)
{
    public bool IsResponse => (Value & 0x8000) != 0;
    public DnsOpcode Opcode => (DnsOpcode)((Value >> 11) & 0xf);
    public bool IsAuthoritative => (Value & 0x0400) != 0;
    public bool IsTruncated => (Value & 0x0200) != 0;
    public bool RecursionDesired => (Value & 0x0100) != 0;
    public bool RecursionAvailable => (Value & 0x0080) != 0;
    public bool AuthenticData => (Value & 0x0020) != 0;
    public bool CheckingDisabled => (Value & 0x0010) != 0;
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Value & 0xf);

    public static DnsHeaderFlags From(
        bool isResponse, DnsOpcode opcode, bool isAuthoritative, bool isTruncated, bool recursionDesired,
        bool recursionAvailable, bool authenticData, bool checkingDisabled, DnsResponseCode responseCode) =>
        new((ushort)(
            (isResponse ? 0x8000 : 0)
            | ((int)opcode & 0xf) << 11
            | (isAuthoritative ? 0x0400 : 0)
            | (isTruncated ? 0x0200 : 0)
            | (recursionDesired ? 0x0100 : 0)
            | (recursionAvailable ? 0x0080 : 0)
            | (authenticData ? 0x0020 : 0)
            | (checkingDisabled ? 0x0010 : 0)
            | ((int)responseCode & 0xf)));
}
