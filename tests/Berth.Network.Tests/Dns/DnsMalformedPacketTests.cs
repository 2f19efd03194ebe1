using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class DnsMalformedPacketTests
{
    private const string QueryHeader = "abcd01000001000000000000";

    [Theory]
    [InlineData("")]
    [InlineData("abcd0100")]                                         // shorter than the header
    [InlineData(QueryHeader)]                                        // a question announced, none there
    [InlineData(QueryHeader + "076578616d706c65")]                   // a name without its end
    [InlineData(QueryHeader + "3f61")]                               // a label longer than what follows
    [InlineData(QueryHeader + "076578616d706c6500" + "0001")]        // a question cut short
    [InlineData(QueryHeader + "c00c00010001")]                       // a pointer to itself
    [InlineData(QueryHeader + "c00e" + "016100" + "00010001")]        // a pointer forwards
    [InlineData(QueryHeader + "c0")]                                 // half a pointer
    [InlineData(QueryHeader + "4161" + "00010001")]                  // label type 01 (extended labels)
    [InlineData(QueryHeader + "8161" + "00010001")]                  // label type 10 (reserved)
    public void Broken_queries_are_refused(string hex) =>
        Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("0001000100000000000161")]       // A record, 1 byte of data
    [InlineData("00010001000000000005")]         // A record, 5 bytes of data announced, none there
    [InlineData("0001000100000000000501020304")] // A record, 5 bytes announced, 4 there
    [InlineData("001c0001000000000004" + "0a000001")] // AAAA record with 4 bytes
    [InlineData("000c00010000000000040161016200")] // PTR whose name is longer than its data length
    [InlineData("000c00010000000000050161000000")] // PTR whose data length is longer than its name
    public void Broken_answers_are_refused(string recordAfterOwner)
    {
        var hex = "abcd81800001000100000000" + "0161" + "00" + "00010001" + "c00c" + recordAfterOwner;
        Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Pointers_chasing_each_other_are_refused()
    {
        // The second question's name is "a" then a pointer back to that same "a": every pointer points
        // backwards, yet following them would never end.
        var packet = Convert.FromHexString("abcd01000002000000000000" + "016200" + "00010001" + "0161c013" + "00010001");
        Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));
    }

    [Fact]
    public void Names_over_255_bytes_are_refused()
    {
        var label = "3f" + string.Concat(Enumerable.Repeat("61", 63));
        var packet = Convert.FromHexString(QueryHeader + string.Concat(Enumerable.Repeat(label, 5)) + "00" + "00010001");
        Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));
    }

    [Fact]
    public void TryParse_says_false_instead_of_throwing()
    {
        Assert.False(DnsMessage.TryParse(Convert.FromHexString(QueryHeader), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void Random_corruption_never_escapes_as_anything_but_a_format_error()
    {
        var valid = Convert.FromHexString(
            "123481800001000200000001" + "076578616d706c6503636f6d0000010001"
            + "c00c000500010000" + "0e100006" + "03777777c00c" + "c029000100010000" + "0e100004" + "5db8d70e"
            + "00002904d0000000000000");
        var random = new Random(1234);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) packet[random.Next(packet.Length)] = (byte)random.Next(256);
            var cut = packet.AsSpan(0, random.Next(packet.Length + 1));
            if (DnsMessage.TryParse(cut, out var message)) message.ToArray();
        }
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("caf\u00e9")]
    [InlineData(@"a\")]
    [InlineData(@"a\25")]
    [InlineData(@"a\256")]
    public void Names_that_cannot_be_written_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => DnsName.ToLabels(name));

    [Fact]
    public void Labels_over_63_bytes_cannot_be_written() =>
        Assert.Throws<ArgumentException>(() => DnsName.ToLabels(new string('a', 64) + ".com"));
}
