using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>Answers from the container's own records, as dockerd's resolver gives them.</summary>
internal static class DnsLocalAnswers
{
    /// <summary>dockerd's <c>respTTL</c>.</summary>
    public const uint TimeToLive = 600;

    /// <summary>The answer to a one-question query, or null when the name is not ours and the query is to be forwarded.</summary>
    public static DnsMessage? TryAnswer(DnsMessage query, IDnsRecords records)
    {
        var question = query.Questions[0];
        if (question.Class != DnsClass.Internet) return null;
        var name = DnsName.Normalize(question.Name);
        if (name.Length == 0) return null;
        return question.Type switch
        {
            DnsRecordType.A => AnswerAddresses(query, records.LookupName(name), AddressFamily.InterNetwork),
            DnsRecordType.AAAA => AnswerAddresses(query, records.LookupName(name), AddressFamily.InterNetworkV6),
            // dockerd answers MX for its names with nothing, so resolvers do not look further.
            DnsRecordType.MX => records.LookupName(name).Count > 0 ? Reply(query) : null,
            DnsRecordType.PTR => AnswerPointer(query, name, records),
            _ => null,
        };
    }

    /// <summary>An empty reply with the given code; RA is set, as on every reply of this server.</summary>
    public static DnsMessage Reply(DnsMessage query, DnsResponseCode responseCode = DnsResponseCode.NoError)
    {
        var reply = query.CreateReply(responseCode);
        reply.RecursionAvailable = true;
        return reply;
    }

    private static DnsMessage? AnswerAddresses(DnsMessage query, IReadOnlyList<IPAddress> known, AddressFamily family)
    {
        if (known.Count == 0) return null;
        var addresses = known.Where(a => a.AddressFamily == family).ToArray();
        Random.Shared.Shuffle(addresses);
        var reply = Reply(query);
        var owner = query.Questions[0].Name;
        reply.Answers.AddRange(addresses.Select(a => DnsResourceRecord.ForAddress(owner, a, TimeToLive)));
        return reply;
    }

    private static DnsMessage? AnswerPointer(DnsMessage query, string name, IDnsRecords records)
    {
        if (!DnsReverseName.TryParse(name, out var address)) return null;
        var target = records.LookupAddress(address);
        if (string.IsNullOrEmpty(target)) return null;
        var reply = Reply(query);
        reply.Answers.Add(DnsResourceRecord.ForPointer(query.Questions[0].Name, target, TimeToLive));
        return reply;
    }
}
