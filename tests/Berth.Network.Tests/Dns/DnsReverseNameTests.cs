using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class DnsReverseNameTests
{
    [Fact]
    public void IPv4_names_are_the_octets_reversed_under_in_addr_arpa() =>
        Assert.Equal("4.3.2.1.in-addr.arpa", DnsReverseName.For(IPAddress.Parse("1.2.3.4")));

    [Fact]
    public void IPv6_names_are_the_nibbles_reversed_under_ip6_arpa() =>
        Assert.Equal(
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa",
            DnsReverseName.For(IPAddress.Parse("fd00::1")));

    [Theory]
    [InlineData("4.3.2.1.in-addr.arpa", "1.2.3.4")]
    [InlineData("2.0.18.172.IN-ADDR.ARPA.", "172.18.0.2")]
    [InlineData("255.0.0.0.in-addr.arpa", "0.0.0.255")]
    [InlineData("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", "fd00::1")]
    public void Full_reverse_names_give_their_address(string name, string address)
    {
        Assert.True(DnsReverseName.TryParse(name, out var parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("3.2.1.in-addr.arpa")]
    [InlineData("5.4.3.2.1.in-addr.arpa")]
    [InlineData("256.3.2.1.in-addr.arpa")]
    [InlineData("04.3.2.1.in-addr.arpa")]
    [InlineData("-4.3.2.1.in-addr.arpa")]
    [InlineData("a.3.2.1.in-addr.arpa")]
    [InlineData("in-addr.arpa")]
    [InlineData("example.com")]
    [InlineData("1.0.ip6.arpa")]
    public void Other_names_give_no_address(string name) =>
        Assert.False(DnsReverseName.TryParse(name, out _));
}
