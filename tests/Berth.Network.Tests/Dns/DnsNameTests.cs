using System.Text;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData("Web.MyNet.", "web.mynet")]
    [InlineData("web.mynet", "web.mynet")]
    [InlineData(".", "")]
    [InlineData(@"a\.", @"a\.")]
    [InlineData(@"a\\.", @"a\\")]
    public void Normalize_lower_cases_and_drops_the_trailing_dot(string name, string expected) =>
        Assert.Equal(expected, DnsName.Normalize(name));

    [Fact]
    public void Labels_come_from_text_with_escapes()
    {
        var labels = DnsName.ToLabels(@"a\.b.\010x.com.");
        Assert.Equal(["a.b", "\nx", "com"], labels.Select(l => Encoding.ASCII.GetString(l)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public void The_root_has_no_labels(string name) => Assert.Empty(DnsName.ToLabels(name));

    [Fact]
    public void Text_comes_back_from_labels() =>
        Assert.Equal(@"a\.b.\010x.com", DnsName.FromLabels(DnsName.ToLabels(@"a\.b.\010x.com")));
}
