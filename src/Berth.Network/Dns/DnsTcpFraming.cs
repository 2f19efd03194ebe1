using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each message preceded by its length as two bytes.</summary>
internal static class DnsTcpFraming
{
    /// <summary>The next message, or null when the peer closed the connection between messages.</summary>
    /// <exception cref="EndOfStreamException">The connection closed in the middle of a message.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var prefix = new byte[2];
        if (await stream.ReadAtLeastAsync(prefix, 2, throwOnEndOfStream: false, ct) < 2) return null;
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, ct);
        return message;
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        if (message.Length > ushort.MaxValue) throw new ArgumentException("A DNS message over TCP is at most 65535 bytes.", nameof(message));
        // One write for prefix and message, so they do not go out as two segments.
        var framed = new byte[2 + message.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsMemory(2));
        await stream.WriteAsync(framed, ct);
    }
}
