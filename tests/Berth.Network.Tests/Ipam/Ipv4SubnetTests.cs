using Berth.Network.Ipam;

namespace Berth.Network.Tests.Ipam;

public sealed class Ipv4SubnetTests
{
    [Theory]
    [InlineData("172.17.0.0/16", "172.17.0.0/16", 65536UL)]
    [InlineData("10.1.2.3/24", "10.1.2.0/24", 256UL)]
    [InlineData("192.168.16.0/20", "192.168.16.0/20", 4096UL)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", 4294967296UL)]
    public void Parses_cidrs_and_clears_host_bits_in_the_canonical_form(string text, string canonical, ulong size)
    {
        var subnet = Ipv4Subnet.Parse(text)!.Value;
        Assert.Equal(canonical, subnet.Canonical.ToString());
        Assert.Equal(size, subnet.Size);
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("notacidr")]
    [InlineData("::1/128")]
    [InlineData("10.0.0.0/-1")]
    public void Refuses_what_is_not_an_ipv4_cidr(string text) => Assert.Null(Ipv4Subnet.Parse(text));

    [Fact]
    public void Overlap_and_containment_work_both_ways()
    {
        var big = Ipv4Subnet.Parse("10.10.0.0/16")!.Value;
        var small = Ipv4Subnet.Parse("10.10.5.0/24")!.Value;
        var other = Ipv4Subnet.Parse("10.11.0.0/16")!.Value;
        Assert.True(big.Overlaps(small));
        Assert.True(small.Overlaps(big));
        Assert.False(big.Overlaps(other));
        Assert.True(big.ContainsSubnet(small));
        Assert.False(small.ContainsSubnet(big));
        Assert.True(big.Contains(Ipv4.Parse("10.10.255.255")!));
        Assert.False(big.Contains(Ipv4.Parse("10.11.0.0")!));
    }

    [Fact]
    public void Macs_are_dockerds_02_42_followed_by_the_address()
    {
        Assert.Equal("02:42:ac:11:00:02", Ipv4.FormatMac(Ipv4.MacFor(Ipv4.Parse("172.17.0.2")!)));
        Assert.Equal("02:42:0a:0a:00:80", Ipv4.FormatMac(Ipv4.MacFor(Ipv4.Parse("10.10.0.128")!)));
        Assert.Equal(new byte[] { 2, 0x42, 0xac, 0x11, 0, 2 }, Ipv4.ParseMac("02:42:AC:11:00:02"));
        Assert.Null(Ipv4.ParseMac("02:42:ac:11:00"));
        Assert.Null(Ipv4.ParseMac("zz:42:ac:11:00:02"));
    }
}
