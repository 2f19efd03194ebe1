using System.Buffers.Binary;
using System.Text;
using Berth.Network.Native;

namespace Berth.Network.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket in the network namespace of the thread that opened it (a socket keeps
/// its namespace for life). Requests are synchronous: each is acknowledged before the next, so
/// one socket serves one caller at a time (callers lock).
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private const ushort NLMSGERR_ATTR_MSG = 1;
    private readonly int fd;
    private uint sequence;
    private readonly byte[] receiveBuffer = new byte[64 * 1024];

    public NetlinkSocket()
    {
        fd = NetLibc.socket(NetLibc.AF_NETLINK, NetLibc.SOCK_RAW | NetLibc.SOCK_CLOEXEC, NetLibc.NETLINK_ROUTE);
        if (fd < 0) throw NetLibc.LastError("socket(AF_NETLINK)");
        var on = 1;
        NetLibc.setsockopt(fd, NetLibc.SOL_NETLINK, NetLibc.NETLINK_EXT_ACK, &on, sizeof(int));
    }

    /// <summary>Sends a request and waits for its acknowledgement; a refusal throws <see cref="NetlinkException"/>.</summary>
    public void Request(NetlinkMessage message, string operation) => Exchange(message, operation, answerType: null, each: null);

    /// <summary>Sends a dump (or a single get with an ack) and hands each answer's payload (after the netlink header) to <paramref name="each"/>.</summary>
    public void Dump(NetlinkMessage message, string operation, ushort answerType, SpanAction each) => Exchange(message, operation, answerType, each);

    /// <summary>Sends one request and reads its answers until its acknowledgement or the end of its dump.</summary>
    private void Exchange(NetlinkMessage message, string operation, ushort? answerType, SpanAction? each)
    {
        var seq = ++sequence;
        Send(message.Finish(seq));
        while (true)
        {
            var received = Receive();
            for (var offset = 0; offset + 16 <= received;)
            {
                var span = receiveBuffer.AsSpan(offset, received - offset);
                var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
                if (len < 16 || len > span.Length) break;
                var type = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
                var msgSeq = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                offset += (len + 3) & ~3;
                if (msgSeq != seq) continue;
                if (type == NLMSG_DONE) return;
                if (type == NLMSG_ERROR)
                {
                    var error = -BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
                    if (error == 0) return;
                    throw new NetlinkException(operation, error, ExtendedAckMessage(span[..len]));
                }
                if (type == answerType) each!(span[16..len]);
            }
        }
    }

    public delegate void SpanAction(ReadOnlySpan<byte> payload);

    private void Send(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            while (true)
            {
                var sent = NetLibc.send(fd, p, bytes.Length, 0);
                if (sent >= 0) return;
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != NetLibc.EINTR) throw NetLibc.Error("send(netlink)", errno);
            }
        }
    }

    private int Receive()
    {
        fixed (byte* p = receiveBuffer)
        {
            while (true)
            {
                var n = NetLibc.recv(fd, p, receiveBuffer.Length, 0);
                if (n >= 0) return (int)n;
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != NetLibc.EINTR) throw NetLibc.Error("recv(netlink)", errno);
            }
        }
    }

    /// <summary>The kernel's extended-ack text, when it sent one (it follows the echoed request header).</summary>
    private static string? ExtendedAckMessage(ReadOnlySpan<byte> message)
    {
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        if ((flags & 0x200) == 0) return null; // NLM_F_ACK_TLVS
        var offset = 16 + 4 + 16; // header, error, echoed header (the request is capped when acks carry TLVs)
        if ((flags & 0x100) == 0 && message.Length >= 36) // NLM_F_CAPPED unset: the whole request is echoed
            offset = 16 + 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(message[20..]);
        foreach (var (type, value) in Attributes.Read(message[Math.Min(offset, message.Length)..]))
            if (type == NLMSGERR_ATTR_MSG) return Encoding.UTF8.GetString(value).TrimEnd('\0');
        return null;
    }

    public void Dispose() => NetLibc.close(fd);
}
