namespace Berth.Network.Dns;

/// <summary>Record classes. An OPT record (EDNS) carries the sender's UDP payload size in this field instead.</summary>
public enum DnsClass : ushort
{
    Internet = 1,
    Any = 255,
}
