using System.Diagnostics.CodeAnalysis;

namespace Berth.Network.Dns;

/// <summary>A DNS message (RFC 1035 §4): the header, then questions, answers, authority and additional records.</summary>
public sealed class DnsMessage
{
    public const int HeaderLength = 12;

    public ushort Id { get; set; }
    public bool IsResponse { get; set; }
    public DnsOpcode Opcode { get; set; }
    public bool IsAuthoritative { get; set; }
    public bool IsTruncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    public bool AuthenticData { get; set; }
    public bool CheckingDisabled { get; set; }
    public DnsResponseCode ResponseCode { get; set; }

    public List<DnsQuestion> Questions { get; } = [];
    public List<DnsResourceRecord> Answers { get; } = [];
    public List<DnsResourceRecord> Authorities { get; } = [];
    public List<DnsResourceRecord> Additionals { get; } = [];

    /// <summary>Reads a whole message; bytes after the last record are ignored.</summary>
    /// <exception cref="DnsFormatException">The packet is not a well-formed message.</exception>
    public static DnsMessage Parse(ReadOnlySpan<byte> packet)
    {
        var reader = new DnsPacketReader(packet);
        var message = new DnsMessage { Id = reader.ReadUInt16() };
        message.SetFlags(reader.ReadUInt16());
        var questions = reader.ReadUInt16();
        var answers = reader.ReadUInt16();
        var authorities = reader.ReadUInt16();
        var additionals = reader.ReadUInt16();
        for (var i = 0; i < questions; i++)
            message.Questions.Add(new DnsQuestion(reader.ReadName(), (DnsRecordType)reader.ReadUInt16(), (DnsClass)reader.ReadUInt16()));
        ReadRecords(ref reader, answers, message.Answers);
        ReadRecords(ref reader, authorities, message.Authorities);
        ReadRecords(ref reader, additionals, message.Additionals);
        return message;
    }

    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DnsMessage? message)
    {
        try
        {
            message = Parse(packet);
            return true;
        }
        catch (DnsFormatException)
        {
            message = null;
            return false;
        }
    }

    /// <summary>A response to this message: same ID, opcode, RD and CD flags and questions, no records yet.</summary>
    public DnsMessage CreateReply(DnsResponseCode responseCode = DnsResponseCode.NoError)
    {
        var reply = new DnsMessage
        {
            Id = Id,
            IsResponse = true,
            Opcode = Opcode,
            RecursionDesired = RecursionDesired,
            CheckingDisabled = CheckingDisabled,
            ResponseCode = responseCode,
        };
        reply.Questions.AddRange(Questions);
        return reply;
    }

    /// <summary>The message in wire form, names compressed.</summary>
    /// <exception cref="ArgumentException">A name cannot be written (see <see cref="DnsName.ToLabels"/>).</exception>
    public byte[] ToArray() => Write(Answers.Count, Authorities.Count, Additionals.Count, IsTruncated);

    /// <summary>
    /// The message in wire form within <paramref name="maxLength"/> bytes (a UDP payload limit): records
    /// are left out from the end, additional records first; leaving out an answer or authority record sets TC.
    /// </summary>
    public byte[] ToArray(int maxLength)
    {
        var (answers, authorities, additionals) = (Answers.Count, Authorities.Count, Additionals.Count);
        var packet = ToArray();
        while (packet.Length > maxLength && answers + authorities + additionals > 0)
        {
            if (additionals > 0) additionals--;
            else if (authorities > 0) authorities--;
            else answers--;
            var truncated = IsTruncated || authorities < Authorities.Count || answers < Answers.Count;
            packet = Write(answers, authorities, additionals, truncated);
        }
        return packet;
    }

    private byte[] Write(int answers, int authorities, int additionals, bool truncated)
    {
        var writer = new DnsPacketWriter();
        writer.WriteUInt16(Id);
        writer.WriteUInt16(GetFlags(truncated));
        writer.WriteUInt16(checked((ushort)Questions.Count));
        writer.WriteUInt16(checked((ushort)answers));
        writer.WriteUInt16(checked((ushort)authorities));
        writer.WriteUInt16(checked((ushort)additionals));
        foreach (var question in Questions)
        {
            writer.WriteName(question.Name, compress: true);
            writer.WriteUInt16((ushort)question.Type);
            writer.WriteUInt16((ushort)question.Class);
        }
        WriteRecords(writer, Answers, answers);
        WriteRecords(writer, Authorities, authorities);
        WriteRecords(writer, Additionals, additionals);
        return writer.ToArray();
    }

    private static void ReadRecords(ref DnsPacketReader reader, int count, List<DnsResourceRecord> records)
    {
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadName();
            var type = (DnsRecordType)reader.ReadUInt16();
            var @class = (DnsClass)reader.ReadUInt16();
            var timeToLive = reader.ReadUInt32();
            var length = reader.ReadUInt16();
            records.Add(new DnsResourceRecord(name, type, @class, timeToLive, DnsRecordData.Read(ref reader, type, length)));
        }
    }

    private static void WriteRecords(DnsPacketWriter writer, List<DnsResourceRecord> records, int count)
    {
        foreach (var record in records.Take(count))
        {
            writer.WriteName(record.Name, compress: true);
            writer.WriteUInt16((ushort)record.Type);
            writer.WriteUInt16((ushort)record.Class);
            writer.WriteUInt32(record.TimeToLive);
            writer.WriteUInt16(checked((ushort)record.Data.Length));
            writer.WriteBytes(record.Data);
        }
    }

    private void SetFlags(ushort value)
    {
        var flags = new DnsHeaderFlags(value);
        IsResponse = flags.IsResponse;
        Opcode = flags.Opcode;
        IsAuthoritative = flags.IsAuthoritative;
        IsTruncated = flags.IsTruncated;
        RecursionDesired = flags.RecursionDesired;
        RecursionAvailable = flags.RecursionAvailable;
        AuthenticData = flags.AuthenticData;
        CheckingDisabled = flags.CheckingDisabled;
        ResponseCode = flags.ResponseCode;
    }

    private ushort GetFlags(bool truncated) => DnsHeaderFlags.From(
        IsResponse, Opcode, IsAuthoritative, truncated, RecursionDesired,
        RecursionAvailable, AuthenticData, CheckingDisabled, ResponseCode).Value;
}
