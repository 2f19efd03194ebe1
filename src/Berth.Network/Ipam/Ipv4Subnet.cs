using System.Net;

namespace Berth.Network.Ipam;

/// <summary>An IPv4 network in CIDR form; <see cref="Network"/> is the address with its host bits as given.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
    public uint First => Network & Mask;
    public uint Last => First | ~Mask;
    public ulong Size => 1UL << (32 - PrefixLength);

    /// <summary>The subnet with its host bits cleared (<c>10.1.2.3/24</c> → <c>10.1.2.0/24</c>).</summary>
    public Ipv4Subnet Canonical => new(First, PrefixLength);

    public bool Contains(uint address) => (address & Mask) == First;
    public bool Contains(IPAddress address) => Contains(Ipv4.ToUInt32(address));
    public bool Overlaps(Ipv4Subnet other) => Contains(other.First) || other.Contains(First);
    public bool ContainsSubnet(Ipv4Subnet other) => PrefixLength <= other.PrefixLength && Contains(other.First);

    public override string ToString() => $"{Ipv4.ToAddress(Network)}/{PrefixLength}";

    /// <summary>Parses <c>a.b.c.d/n</c>; null when it is not an IPv4 CIDR.</summary>
    public static Ipv4Subnet? Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0) return null;
        var address = Ipv4.Parse(text[..slash]);
        if (address is null || !int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, null, out var prefix) || prefix > 32) return null;
        return new Ipv4Subnet(Ipv4.ToUInt32(address), prefix);
    }
}
