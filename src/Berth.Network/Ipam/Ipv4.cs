using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ipam;

/// <summary>IPv4 addresses as 32-bit numbers, for arithmetic on subnets.</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>Parses a dotted IPv4 address; null for anything else.</summary>
    public static IPAddress? Parse(string text) =>
        IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3 ? a : null;

    /// <summary>dockerd's MAC for an address: 02:42 followed by the four address bytes.</summary>
    public static byte[] MacFor(IPAddress address)
    {
        var ip = address.GetAddressBytes();
        return [0x02, 0x42, ip[0], ip[1], ip[2], ip[3]];
    }

    public static string FormatMac(ReadOnlySpan<byte> mac) => string.Join(':', mac.ToArray().Select(b => b.ToString("x2")));

    public static byte[]? ParseMac(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6) return null;
        var mac = new byte[6];
        for (var i = 0; i < 6; i++)
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], System.Globalization.NumberStyles.HexNumber, null, out mac[i])) return null;
        return mac;
    }
}
