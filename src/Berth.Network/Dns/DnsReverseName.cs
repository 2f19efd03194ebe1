using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>The names PTR queries ask for: <c>4.3.2.1.in-addr.arpa</c> for 1.2.3.4, and nibble names under <c>ip6.arpa</c>.</summary>
public static class DnsReverseName
{
    private const string IPv4Suffix = ".in-addr.arpa";
    private const string IPv6Suffix = ".ip6.arpa";

    public static string For(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var name = new StringBuilder();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--) name.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            return name.Append(IPv4Suffix[1..]).ToString();
        }
        for (var i = bytes.Length - 1; i >= 0; i--)
            name.Append(HexDigit(bytes[i] & 0xf)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
        return name.Append(IPv6Suffix[1..]).ToString();
    }

    /// <summary>The address a full reverse name stands for; false for other names, including partial ones such as <c>2.1.in-addr.arpa</c>.</summary>
    public static bool TryParse(string name, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var normalized = DnsName.Normalize(name);
        if (normalized.EndsWith(IPv4Suffix, StringComparison.Ordinal))
            return TryParseIPv4(normalized[..^IPv4Suffix.Length].Split('.'), out address);
        if (normalized.EndsWith(IPv6Suffix, StringComparison.Ordinal))
            return TryParseIPv6(normalized[..^IPv6Suffix.Length].Split('.'), out address);
        return false;
    }

    private static bool TryParseIPv4(string[] labels, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (labels.Length != 4) return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var label = labels[3 - i];
            if (label.Length is 0 or > 3 || (label.Length > 1 && label[0] == '0')) return false;
            if (!byte.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return false;
        }
        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParseIPv6(string[] labels, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (labels.Length != 32) return false;
        var bytes = new byte[16];
        for (var i = 0; i < 32; i++)
        {
            var label = labels[31 - i];
            if (label.Length != 1 || !char.IsAsciiHexDigit(label[0])) return false;
            var nibble = Convert.ToInt32(label, 16);
            bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
        }
        address = new IPAddress(bytes);
        return true;
    }

    private static char HexDigit(int value) => "0123456789abcdef"[value];
}
