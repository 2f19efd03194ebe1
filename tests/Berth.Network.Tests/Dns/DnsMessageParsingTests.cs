using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class DnsMessageParsingTests
{
    // dig example.com A: RD and AD set, an EDNS OPT record advertising 1232 bytes.
    private static readonly byte[] ExampleComQuery = Convert.FromHexString(
        "12340120000100000000000107" + "6578616d706c65" + "03636f6d00" + "00010001"
        + "0000290" + "4d0000000000000");

    // The answer: example.com CNAME www.example.com, www.example.com A 93.184.215.14, every name
    // after the question compressed (the CNAME's target too: "www" then a pointer to offset 12).
    private static readonly byte[] ExampleComResponse = Convert.FromHexString(
        "123481800001000200000000"
        + "076578616d706c6503636f6d0000010001"                 // offset 12: example.com A IN
        + "c00c000500010000" + "0e100006" + "03777777c00c"     // offset 29: CNAME, target at 41
        + "c029000100010000" + "0e100004" + "5db8d70e");        // offset 47: www.example.com A

    [Fact]
    public void A_captured_query_parses()
    {
        var query = DnsMessage.Parse(ExampleComQuery);

        Assert.Equal(0x1234, query.Id);
        Assert.False(query.IsResponse);
        Assert.Equal(DnsOpcode.Query, query.Opcode);
        Assert.True(query.RecursionDesired);
        Assert.True(query.AuthenticData);
        Assert.Equal(new DnsQuestion("example.com", DnsRecordType.A), Assert.Single(query.Questions));
        var opt = Assert.Single(query.Additionals);
        Assert.Equal(DnsRecordType.OPT, opt.Type);
        Assert.Equal("", opt.Name);
        Assert.Equal(1232, (int)opt.Class);
        Assert.Empty(opt.Data);
    }

    [Fact]
    public void A_captured_query_writes_back_byte_for_byte() =>
        Assert.Equal(ExampleComQuery, DnsMessage.Parse(ExampleComQuery).ToArray());

    [Fact]
    public void A_response_with_compression_pointers_parses()
    {
        var response = DnsMessage.Parse(ExampleComResponse);

        Assert.True(response.IsResponse);
        Assert.True(response.RecursionAvailable);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal(2, response.Answers.Count);
        var cname = response.Answers[0];
        Assert.Equal(("example.com", DnsRecordType.CNAME, 3600u), (cname.Name, cname.Type, cname.TimeToLive));
        Assert.Equal("www.example.com", cname.Target);
        var a = response.Answers[1];
        Assert.Equal(("www.example.com", DnsRecordType.A), (a.Name, a.Type));
        Assert.Equal(IPAddress.Parse("93.184.215.14"), a.Address);
    }

    [Fact]
    public void Compressed_names_in_record_data_are_stored_expanded()
    {
        var cname = DnsMessage.Parse(ExampleComResponse).Answers[0];
        Assert.Equal(Convert.FromHexString("03777777076578616d706c6503636f6d00"), cname.Data);
    }

    [Fact]
    public void A_parsed_response_writes_back_compressed_to_the_same_meaning()
    {
        var written = DnsMessage.Parse(ExampleComResponse).ToArray();
        var reread = DnsMessage.Parse(written);

        Assert.Equal("www.example.com", reread.Answers[0].Target);
        Assert.Equal(IPAddress.Parse("93.184.215.14"), reread.Answers[1].Address);
        // Record data is written as stored, uncompressed: the CNAME's target takes 11 bytes more, and the
        // A record's owner can then only point at "example.com", not at the whole name (4 bytes more).
        Assert.Equal(ExampleComResponse.Length + 15, written.Length);
    }

    [Fact]
    public void Every_header_flag_round_trips()
    {
        var message = new DnsMessage
        {
            Id = 0xbeef,
            IsResponse = true,
            Opcode = DnsOpcode.Notify,
            IsAuthoritative = true,
            IsTruncated = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            AuthenticData = true,
            CheckingDisabled = true,
            ResponseCode = DnsResponseCode.NameError,
        };

        var reread = DnsMessage.Parse(message.ToArray());

        Assert.Equal(
            (message.Id, message.IsResponse, message.Opcode, message.IsAuthoritative, message.IsTruncated, message.RecursionDesired,
             message.RecursionAvailable, message.AuthenticData, message.CheckingDisabled, message.ResponseCode),
            (reread.Id, reread.IsResponse, reread.Opcode, reread.IsAuthoritative, reread.IsTruncated, reread.RecursionDesired,
             reread.RecursionAvailable, reread.AuthenticData, reread.CheckingDisabled, reread.ResponseCode));
        Assert.Equal("beef", Convert.ToHexString(message.ToArray(), 0, 2).ToLowerInvariant());
    }

    [Fact]
    public void Records_of_every_kind_round_trip()
    {
        var message = new DnsMessage { Id = 7, IsResponse = true };
        message.Questions.Add(new DnsQuestion("web.mynet", DnsRecordType.ANY));
        message.Answers.Add(DnsResourceRecord.ForAddress("web.mynet", IPAddress.Parse("172.18.0.2"), 600));
        message.Answers.Add(DnsResourceRecord.ForAddress("web.mynet", IPAddress.Parse("fd00::2"), 600));
        message.Answers.Add(DnsResourceRecord.ForPointer("2.0.18.172.in-addr.arpa", "web.mynet", 600));
        message.Authorities.Add(new DnsResourceRecord("mynet", DnsRecordType.TXT, DnsClass.Internet, 5, [3, (byte)'a', (byte)'b', (byte)'c']));
        message.Additionals.Add(new DnsResourceRecord("", (DnsRecordType)65280, (DnsClass)4096, 0, [1, 2]));

        var reread = DnsMessage.Parse(message.ToArray());

        Assert.Equal(IPAddress.Parse("172.18.0.2"), reread.Answers[0].Address);
        Assert.Equal(DnsRecordType.AAAA, reread.Answers[1].Type);
        Assert.Equal(IPAddress.Parse("fd00::2"), reread.Answers[1].Address);
        Assert.Equal(("2.0.18.172.in-addr.arpa", "web.mynet"), (reread.Answers[2].Name, reread.Answers[2].Target));
        Assert.Equal(message.Authorities[0].Data, reread.Authorities[0].Data);
        Assert.Equal(5u, reread.Authorities[0].TimeToLive);
        Assert.Equal(((DnsRecordType)65280, (DnsClass)4096), (reread.Additionals[0].Type, reread.Additionals[0].Class));
        Assert.Equal([1, 2], reread.Additionals[0].Data);
    }

    [Fact]
    public void Repeated_names_are_written_as_pointers()
    {
        var message = new DnsMessage { Id = 1, IsResponse = true };
        message.Questions.Add(new DnsQuestion("web.mynet", DnsRecordType.A));
        for (var i = 1; i <= 3; i++) message.Answers.Add(DnsResourceRecord.ForAddress("WEB.mynet", IPAddress.Parse($"10.0.0.{i}"), 600));

        var packet = message.ToArray();

        // Header 12, question 11 + 4, each answer a 2-byte pointer + 10 + 4.
        Assert.Equal(12 + 15 + 3 * 16, packet.Length);
        Assert.Equal(0xc0, packet[27]);
        Assert.Equal(12, packet[28]);
    }

    [Fact]
    public void A_length_limit_leaves_out_answers_and_sets_TC()
    {
        var message = new DnsMessage { Id = 1, IsResponse = true };
        message.Questions.Add(new DnsQuestion("many", DnsRecordType.A));
        for (var i = 0; i < 100; i++) message.Answers.Add(DnsResourceRecord.ForAddress("many", new IPAddress([10, 0, 0, (byte)i]), 600));

        var packet = message.ToArray(512);

        Assert.True(packet.Length <= 512);
        var reread = DnsMessage.Parse(packet);
        Assert.True(reread.IsTruncated);
        Assert.InRange(reread.Answers.Count, 1, 99);
        Assert.False(DnsMessage.Parse(message.ToArray(ushort.MaxValue)).IsTruncated);
    }

    [Fact]
    public void Left_out_additional_records_do_not_set_TC()
    {
        var message = new DnsMessage { Id = 1, IsResponse = true };
        message.Questions.Add(new DnsQuestion("x", DnsRecordType.A));
        message.Answers.Add(DnsResourceRecord.ForAddress("x", IPAddress.Parse("10.0.0.1"), 600));
        message.Additionals.Add(new DnsResourceRecord("x", DnsRecordType.TXT, DnsClass.Internet, 0, new byte[600]));

        var reread = DnsMessage.Parse(message.ToArray(512));

        Assert.False(reread.IsTruncated);
        Assert.Single(reread.Answers);
        Assert.Empty(reread.Additionals);
    }

    [Fact]
    public void Labels_with_dots_and_binary_bytes_round_trip_escaped()
    {
        var packet = Convert.FromHexString("000100000001000000000000" + "03612e62" + "020a5c" + "00" + "00100001");

        var question = Assert.Single(DnsMessage.Parse(packet).Questions);

        Assert.Equal(@"a\.b.\010\\", question.Name);
        Assert.Equal(packet, DnsMessage.Parse(packet).ToArray());
    }

    [Fact]
    public void CreateReply_keeps_the_id_the_flags_a_client_set_and_the_question()
    {
        var query = DnsMessage.Parse(ExampleComQuery);
        query.CheckingDisabled = true;

        var reply = query.CreateReply(DnsResponseCode.NameError);

        Assert.Equal(((ushort)0x1234, true, true, true, DnsResponseCode.NameError), (reply.Id, reply.IsResponse, reply.RecursionDesired, reply.CheckingDisabled, reply.ResponseCode));
        Assert.Equal(query.Questions, reply.Questions);
        Assert.Empty(reply.Additionals);
    }
}
