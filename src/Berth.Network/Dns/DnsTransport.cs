namespace Berth.Network.Dns;

/// <summary>How a query reached the server, which decides how it is forwarded and how large its answer may be.</summary>
internal enum DnsTransport
{
    Udp,
    Tcp,
}
