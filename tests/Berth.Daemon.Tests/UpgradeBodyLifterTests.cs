using System.Text;
using Berth.Daemon.Http;

namespace Berth.Daemon.Tests;

public sealed class UpgradeBodyLifterTests
{
    private static UpgradeBodyLifter.RequestHead Head(string text) => UpgradeBodyLifter.RequestHead.Parse(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void An_upgrade_request_with_a_body_loses_only_its_content_length()
    {
        var head = Head("POST /v1.47/exec/x/start HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n");
        Assert.True(head.IsUpgrade);
        Assert.Equal(27, head.ContentLength);
        Assert.Equal("POST /v1.47/exec/x/start HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\n\r\n",
            Encoding.Latin1.GetString(head.WithoutContentLength()));
    }

    [Theory]
    [InlineData("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n", false, false, 0)]
    [InlineData("POST /x HTTP/1.1\r\ncontent-length: 12\r\n\r\n", false, false, 12)]
    [InlineData("POST /build HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", false, true, 0)]
    [InlineData("POST /a HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: tcp\r\n\r\n", true, false, 0)]
    [InlineData("POST /a HTTP/1.1\r\nConnection: keep-alive\r\nUpgrade: tcp\r\n\r\n", false, false, 0)]
    public void Request_heads_are_classified(string text, bool upgrade, bool chunked, long length)
    {
        var head = Head(text);
        Assert.Equal((upgrade, chunked, length), (head.IsUpgrade, head.Chunked, head.ContentLength));
    }
}
