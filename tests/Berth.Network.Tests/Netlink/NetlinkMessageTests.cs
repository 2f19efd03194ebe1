using System.Buffers.Binary;
using Berth.Network.Netlink;

namespace Berth.Network.Tests.Netlink;

public sealed class NetlinkMessageTests
{
    [Fact]
    public void Lays_out_the_header_padded_attributes_and_nested_lengths()
    {
        var message = new NetlinkMessage(16, NetlinkMessage.NLM_F_ACK).Header(new byte[16]).Attribute(3, "eth0");
        var nested = message.BeginNested(18);
        message.Attribute(1, "veth").EndNested(nested);
        var bytes = message.Finish(7).ToArray();

        Assert.Equal(bytes.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_REQUEST, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        var attributes = Attributes.Read(bytes.AsSpan(32));
        Assert.Equal([(ushort)3, (ushort)18], attributes.Select(a => a.Type));
        Assert.Equal("eth0", Attributes.String(attributes[0].Value));
        var inner = Attributes.Read(attributes[1].Value);
        Assert.Equal("veth", Attributes.String(inner.Single().Value));
        // "eth0\0" is 5 bytes: padded to 8, so the attribute takes 12 and the nested one (holding 12 bytes of "veth\0") starts at 32 + 12.
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(44)));
    }
}
