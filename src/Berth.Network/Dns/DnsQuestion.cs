namespace Berth.Network.Dns;

/// <summary>One entry of the question section. <see cref="Name"/> is in <see cref="DnsName"/> text form.</summary>
public sealed record DnsQuestion(string Name, DnsRecordType Type, DnsClass Class = DnsClass.Internet);
