namespace Berth.Network.Dns;

/// <summary>A packet that is not a well-formed DNS message.</summary>
public sealed class DnsFormatException(string message) : Exception(message);
