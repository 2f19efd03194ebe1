using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class EmbeddedDnsServerTests
{
    private static readonly IPAddress[] WebAddresses = [IPAddress.Parse("172.18.0.2"), IPAddress.Parse("172.18.0.3"), IPAddress.Parse("172.18.0.4")];

    private static FakeRecords WebRecords()
    {
        var records = new FakeRecords();
        records.Names["web"] = WebAddresses;
        records.Names["db"] = [IPAddress.Parse("172.18.0.9")];
        records.Addresses[IPAddress.Parse("172.18.0.9")] = "db.mynet";
        return records;
    }

    [Fact]
    public async Task A_query_for_a_known_name_gets_every_address()
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A, id: 0x1111));

        Assert.Equal(0x1111, reply.Id);
        Assert.True(reply.IsResponse);
        Assert.True(reply.RecursionAvailable);
        Assert.True(reply.RecursionDesired);
        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.Equal(new DnsQuestion("web", DnsRecordType.A), Assert.Single(reply.Questions));
        Assert.Equal(WebAddresses.OrderBy(a => a.ToString()), reply.Answers.Select(a => a.Address!).OrderBy(a => a.ToString()));
        Assert.All(reply.Answers, a => Assert.Equal(("web", DnsRecordType.A, 600u), (a.Name, a.Type, a.TimeToLive)));
    }

    [Fact]
    public async Task Names_are_looked_up_lower_cased_without_the_trailing_dot_and_answered_as_asked()
    {
        var records = WebRecords();
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("WeB.", DnsRecordType.A));

        Assert.Equal(3, reply.Answers.Count);
        Assert.Equal("WeB", reply.Answers[0].Name);
        Assert.Equal("web", Assert.Single(records.NamesLookedUp));
    }

    [Fact]
    public async Task Addresses_come_in_a_new_order_per_query()
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var orders = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A, id: (ushort)i));
            orders.Add(string.Join(',', reply.Answers.Select(a => a.Address)));
        }

        Assert.True(orders.Count > 1, $"always {string.Join(" ", orders)}");
    }

    [Fact]
    public async Task AAAA_for_a_known_name_is_an_empty_NOERROR()
    {
        await using var upstream = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.AAAA));

        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.Empty(reply.Answers);
        Assert.Equal(0, upstream.UdpQueries);
    }

    [Fact]
    public async Task MX_for_a_known_name_is_an_empty_NOERROR()
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("db", DnsRecordType.MX));

        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        Assert.Empty(reply.Answers);
    }

    [Fact]
    public async Task PTR_for_a_known_address_gives_its_name()
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("9.0.18.172.in-addr.arpa", DnsRecordType.PTR));

        var answer = Assert.Single(reply.Answers);
        Assert.Equal(("9.0.18.172.in-addr.arpa", DnsRecordType.PTR, "db.mynet", 600u), (answer.Name, answer.Type, answer.Target, answer.TimeToLive));
    }

    [Fact]
    public async Task PTR_for_an_unknown_address_is_forwarded()
    {
        await using var upstream = FakeUpstream.Replying(DnsResponseCode.NameError);
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("8.8.8.8.in-addr.arpa", DnsRecordType.PTR));

        Assert.Equal(DnsResponseCode.NameError, reply.ResponseCode);
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task An_unknown_name_is_forwarded_and_the_upstream_answer_passed_on()
    {
        await using var upstream = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A, id: 0x7777));

        Assert.Equal(0x7777, reply.Id);
        Assert.Equal(DnsResponseCode.NoError, reply.ResponseCode);
        var answer = Assert.Single(reply.Answers);
        Assert.Equal(("example.com", IPAddress.Parse("10.9.9.9"), 30u), (answer.Name, answer.Address, answer.TimeToLive));
        Assert.Equal((1, 0), (upstream.UdpQueries, upstream.TcpQueries));
    }

    [Fact]
    public async Task An_upstream_NXDOMAIN_is_passed_on()
    {
        await using var upstream = FakeUpstream.Replying(DnsResponseCode.NameError);
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("nothing.invalid", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.NameError, reply.ResponseCode);
    }

    [Fact]
    public async Task Without_upstreams_an_unknown_name_gets_SERVFAIL_at_once()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        var clock = Stopwatch.StartNew();

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A, id: 0x0999));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal((0x0999, DnsResponseCode.ServerFailure), ((int)reply.Id, reply.ResponseCode));
        Assert.True(reply.RecursionAvailable);
        Assert.Equal(new DnsQuestion("example.com", DnsRecordType.A), Assert.Single(reply.Questions));
    }

    [Fact]
    public async Task A_silent_upstream_is_given_up_for_the_next()
    {
        await using var silent = FakeUpstream.Silent();
        await using var answering = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.AddRange([silent.EndPoint, answering.EndPoint]);
        await using var server = RunningDnsServer.Start(records, new EmbeddedDnsServer { UpstreamTimeout = TimeSpan.FromMilliseconds(200) });

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A));

        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(reply.Answers).Address);
        Assert.Equal(1, silent.UdpQueries);
    }

    [Fact]
    public async Task An_upstream_that_is_not_listening_is_given_up_at_once()
    {
        IPEndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = (IPEndPoint)probe.LocalEndPoint!;
        }
        await using var answering = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.AddRange([closed, answering.EndPoint]);
        await using var server = RunningDnsServer.Start(records, new EmbeddedDnsServer { UpstreamTimeout = TimeSpan.FromSeconds(30) });
        var clock = Stopwatch.StartNew();

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A));

        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(reply.Answers).Address);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(DnsResponseCode.ServerFailure)]
    [InlineData(DnsResponseCode.Refused)]
    public async Task An_upstream_that_fails_or_refuses_is_passed_over_for_the_next(DnsResponseCode failure)
    {
        await using var failing = FakeUpstream.Replying(failure);
        await using var answering = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.AddRange([failing.EndPoint, answering.EndPoint]);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A));

        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(reply.Answers).Address);
        Assert.Equal(1, failing.UdpQueries);
    }

    [Fact]
    public async Task When_no_upstream_answers_the_reply_is_SERVFAIL()
    {
        await using var silent = FakeUpstream.Silent();
        await using var failing = FakeUpstream.Replying(DnsResponseCode.ServerFailure);
        var records = WebRecords();
        records.UpstreamList.AddRange([silent.EndPoint, failing.EndPoint]);
        await using var server = RunningDnsServer.Start(records, new EmbeddedDnsServer { UpstreamTimeout = TimeSpan.FromMilliseconds(200) });

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.ServerFailure, reply.ResponseCode);
        Assert.Equal((1, 1), (silent.UdpQueries, failing.UdpQueries));
    }

    [Fact]
    public async Task A_truncated_upstream_answer_is_asked_again_over_TCP()
    {
        await using var upstream = new FakeUpstream((query, overTcp) =>
        {
            var reply = query.CreateReply();
            if (overTcp) reply.Answers.Add(DnsResourceRecord.ForAddress(query.Questions[0].Name, IPAddress.Parse("10.9.9.9"), 30));
            else reply.IsTruncated = true;
            return reply;
        });
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A));

        Assert.False(reply.IsTruncated);
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(reply.Answers).Address);
        Assert.Equal((1, 1), (upstream.UdpQueries, upstream.TcpQueries));
    }

    [Fact]
    public async Task A_truncated_upstream_answer_too_large_for_UDP_even_over_TCP_is_passed_on_truncated()
    {
        await using var upstream = new FakeUpstream((query, overTcp) =>
        {
            var reply = query.CreateReply();
            if (overTcp)
            {
                for (var i = 0; i < 100; i++)
                    reply.Answers.Add(DnsResourceRecord.ForAddress(query.Questions[0].Name, new IPAddress([10, 9, 0, (byte)i]), 30));
            }
            else reply.IsTruncated = true;
            return reply;
        });
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("big.example.com", DnsRecordType.A));

        Assert.True(reply.IsTruncated);
        Assert.Empty(reply.Answers);
    }

    [Fact]
    public async Task A_known_name_is_answered_over_TCP()
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var reply = await DnsTestClient.AskOverTcpAsync(server.TcpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));

        Assert.Equal(3, reply.Answers.Count);
    }

    [Fact]
    public async Task A_query_over_TCP_is_forwarded_over_TCP()
    {
        await using var upstream = FakeUpstream.Answering("10.9.9.9");
        var records = WebRecords();
        records.UpstreamList.Add(upstream.EndPoint);
        await using var server = RunningDnsServer.Start(records);

        var reply = await DnsTestClient.AskOverTcpAsync(server.TcpEndPoint, DnsTestClient.Query("example.com", DnsRecordType.A, id: 0x5151));

        Assert.Equal(0x5151, reply.Id);
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Assert.Single(reply.Answers).Address);
        Assert.Equal((0, 1), (upstream.UdpQueries, upstream.TcpQueries));
    }

    [Fact]
    public async Task Several_queries_share_one_TCP_connection()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.TcpEndPoint, timeout.Token);
        await using var stream = new NetworkStream(socket);

        // All three sent before any answer is read: answers may come in any order.
        await DnsTestClient.WriteFramedAsync(stream, DnsTestClient.Query("web", DnsRecordType.A, id: 1).ToArray(), timeout.Token);
        await DnsTestClient.WriteFramedAsync(stream, DnsTestClient.Query("db", DnsRecordType.A, id: 2).ToArray(), timeout.Token);
        await DnsTestClient.WriteFramedAsync(stream, DnsTestClient.Query("nothing", DnsRecordType.A, id: 3).ToArray(), timeout.Token);
        var replies = new Dictionary<ushort, DnsMessage>();
        for (var i = 0; i < 3; i++)
        {
            var reply = DnsMessage.Parse(await DnsTestClient.ReadFramedAsync(stream, timeout.Token));
            replies[reply.Id] = reply;
        }

        Assert.Equal(3, replies[1].Answers.Count);
        Assert.Equal(IPAddress.Parse("172.18.0.9"), Assert.Single(replies[2].Answers).Address);
        Assert.Equal(DnsResponseCode.ServerFailure, replies[3].ResponseCode);
    }

    [Fact]
    public async Task A_large_answer_is_truncated_over_UDP_and_whole_over_TCP()
    {
        var records = new FakeRecords();
        records.Names["many"] = Enumerable.Range(1, 100).Select(i => new IPAddress([10, 1, 0, (byte)i])).ToArray();
        await using var server = RunningDnsServer.Start(records);

        var overUdp = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("many", DnsRecordType.A));
        var overTcp = await DnsTestClient.AskOverTcpAsync(server.TcpEndPoint, DnsTestClient.Query("many", DnsRecordType.A));

        Assert.True(overUdp.IsTruncated);
        Assert.InRange(overUdp.Answers.Count, 1, 99);
        Assert.False(overTcp.IsTruncated);
        Assert.Equal(100, overTcp.Answers.Count);
    }

    [Fact]
    public async Task A_slow_forward_does_not_hold_up_other_queries()
    {
        await using var silent = FakeUpstream.Silent();
        var records = WebRecords();
        records.UpstreamList.Add(silent.EndPoint);
        await using var server = RunningDnsServer.Start(records, new EmbeddedDnsServer { UpstreamTimeout = TimeSpan.FromSeconds(5) });

        var slow = DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("slow.example.com", DnsRecordType.A));
        await WaitUntilAsync(() => silent.UdpQueries == 1);
        var clock = Stopwatch.StartNew();
        var quick = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));

        Assert.Equal(3, quick.Answers.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.False(slow.IsCompleted);
        Assert.Equal(DnsResponseCode.ServerFailure, (await slow).ResponseCode);
    }

    [Fact]
    public async Task A_malformed_query_gets_FORMERR_and_serving_goes_on()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        var broken = Convert.FromHexString("abcd01000001000000000000" + "c00c00010001");

        var reply = await DnsTestClient.TryExchangeOverUdpAsync(server.UdpEndPoint, broken, TimeSpan.FromSeconds(10));

        var message = DnsMessage.Parse(reply!);
        Assert.Equal((0xabcd, true, DnsResponseCode.FormatError), ((int)message.Id, message.IsResponse, message.ResponseCode));
        Assert.Equal(3, (await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A))).Answers.Count);
    }

    [Theory]
    [InlineData("abcd")]                                   // shorter than a header
    [InlineData("abcd81800001000000000000016100" + "00010001")] // a response, not a query
    public async Task Packets_that_are_not_queries_are_dropped(string hex)
    {
        await using var server = RunningDnsServer.Start(WebRecords());

        var reply = await DnsTestClient.TryExchangeOverUdpAsync(server.UdpEndPoint, Convert.FromHexString(hex), TimeSpan.FromMilliseconds(300));

        Assert.Null(reply);
        Assert.Equal(3, (await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A))).Answers.Count);
    }

    [Fact]
    public async Task Queries_of_other_opcodes_get_NOTIMP()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        var query = DnsTestClient.Query("web", DnsRecordType.A);
        query.Opcode = DnsOpcode.Update;

        var reply = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, query);

        Assert.Equal(DnsResponseCode.NotImplemented, reply.ResponseCode);
    }

    [Fact]
    public async Task Records_that_throw_give_SERVFAIL_and_serving_goes_on()
    {
        var records = WebRecords();
        await using var server = RunningDnsServer.Start(records);
        records.Throws = true;

        var failed = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));
        records.Throws = false;
        var answered = await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));

        Assert.Equal(DnsResponseCode.ServerFailure, failed.ResponseCode);
        Assert.Equal(3, answered.Answers.Count);
    }

    [Fact]
    public async Task Cancelling_ends_serving_quietly()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));

        server.Stop();

        await server.Serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(server.Serving.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Cancelling_also_ends_open_TCP_connections_and_forwards_in_progress()
    {
        await using var silent = FakeUpstream.Silent();
        var records = WebRecords();
        records.UpstreamList.Add(silent.EndPoint);
        await using var server = RunningDnsServer.Start(records, new EmbeddedDnsServer { UpstreamTimeout = TimeSpan.FromSeconds(30) });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.TcpEndPoint);
        _ = DnsTestClient.TryExchangeOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("slow.example.com", DnsRecordType.A).ToArray(), TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => silent.UdpQueries == 1);

        server.Stop();

        await server.Serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(server.Serving.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Closing_the_sockets_ends_serving_quietly()
    {
        await using var server = RunningDnsServer.Start(WebRecords());
        await DnsTestClient.AskOverUdpAsync(server.UdpEndPoint, DnsTestClient.Query("web", DnsRecordType.A));

        server.Udp.Dispose();
        server.Tcp.Dispose();

        await server.Serving.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(server.Serving.IsCompletedSuccessfully);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the condition never came true");
            await Task.Delay(10);
        }
    }
}
