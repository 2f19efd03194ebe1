using System.Net;
using Microsoft.Extensions.Logging;

namespace Berth.Network.Dns;

/// <summary>Turns one query packet into the response packet to send back, for one container's server.</summary>
internal sealed class DnsQueryHandler(IDnsRecords records, DnsForwarder forwarder, ILogger logger)
{
    /// <summary>dockerd's <c>maxConcurrent</c>: queries forwarded at once before new ones are refused.</summary>
    private const int MaxConcurrentForwards = 1024;
    private const int MinUdpLength = 512;

    private int forwardsInFlight;

    /// <summary>The response, or null when nothing is to be sent back (not a query, or too short to answer).</summary>
    public async Task<byte[]?> HandleAsync(byte[] packet, DnsTransport transport, CancellationToken ct)
    {
        if (packet.Length < DnsMessage.HeaderLength) return null;
        var flags = DnsPacketHeader.ReadFlags(packet);
        if (flags.IsResponse) return null;
        if (!DnsMessage.TryParse(packet, out var query)) return HeaderOnlyReply(packet, DnsResponseCode.FormatError);
        if (query.Opcode != DnsOpcode.Query) return HeaderOnlyReply(packet, DnsResponseCode.NotImplemented);
        if (query.Questions.Count != 1) return HeaderOnlyReply(packet, DnsResponseCode.FormatError);

        var maxLength = transport == DnsTransport.Udp ? MaxUdpLength(query) : ushort.MaxValue;
        try
        {
            if (DnsLocalAnswers.TryAnswer(query, records) is { } answer) return answer.ToArray(maxLength);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "DNS: answering {Question} from the container's records failed", query.Questions[0]);
            return DnsLocalAnswers.Reply(query, DnsResponseCode.ServerFailure).ToArray();
        }
        return await ForwardAsync(packet, query, transport, maxLength, ct);
    }

    private async Task<byte[]> ForwardAsync(byte[] packet, DnsMessage query, DnsTransport transport, int maxLength, CancellationToken ct)
    {
        if (Interlocked.Increment(ref forwardsInFlight) > MaxConcurrentForwards)
        {
            Interlocked.Decrement(ref forwardsInFlight);
            logger.LogWarning("DNS: more than {Max} queries forwarded at once; refusing {Question}", MaxConcurrentForwards, query.Questions[0]);
            return DnsLocalAnswers.Reply(query, DnsResponseCode.Refused).ToArray();
        }
        try
        {
            IReadOnlyList<IPEndPoint> upstreams;
            try
            {
                upstreams = records.Upstreams;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "DNS: reading the container's upstream resolvers failed");
                upstreams = [];
            }
            var answer = upstreams.Count == 0 ? null : await forwarder.ForwardAsync(packet, upstreams, transport, maxLength, ct);
            return answer ?? DnsLocalAnswers.Reply(query, DnsResponseCode.ServerFailure).ToArray();
        }
        finally
        {
            Interlocked.Decrement(ref forwardsInFlight);
        }
    }

    // The query may not parse, so the reply is built from its header alone.
    private static byte[] HeaderOnlyReply(byte[] packet, DnsResponseCode responseCode)
    {
        var flags = DnsPacketHeader.ReadFlags(packet);
        return new DnsMessage
        {
            Id = DnsPacketHeader.ReadId(packet),
            IsResponse = true,
            Opcode = flags.Opcode,
            RecursionDesired = flags.RecursionDesired,
            RecursionAvailable = true,
            ResponseCode = responseCode,
        }.ToArray();
    }

    // EDNS (RFC 6891): the OPT record's class field is the client's UDP payload size; never below 512.
    private static int MaxUdpLength(DnsMessage query) =>
        query.Additionals.FirstOrDefault(r => r.Type == DnsRecordType.OPT) is { } opt
            ? Math.Max(MinUdpLength, (int)opt.Class)
            : MinUdpLength;
}
