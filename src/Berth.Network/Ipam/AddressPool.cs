using System.Net;

namespace Berth.Network.Ipam;

/// <summary>
/// The addresses of one network: its subnet, the range dynamic addresses come from, and which
/// are taken (the gateway, auxiliary addresses, endpoints). Dynamic addresses are handed out
/// lowest first, so containers get .2, .3, … in order; released ones are reused.
/// Not thread-safe: the network's owner serialises calls.
/// </summary>
public sealed class AddressPool
{
    private readonly HashSet<uint> taken = [];

    public AddressPool(Ipv4Subnet subnet, Ipv4Subnet? range)
    {
        Subnet = subnet.Canonical;
        Range = (range ?? subnet).Canonical;
    }

    public Ipv4Subnet Subnet { get; }
    public Ipv4Subnet Range { get; }

    public bool IsTaken(IPAddress address) => taken.Contains(Ipv4.ToUInt32(address));

    /// <summary>Takes a given address; false when it is outside the subnet or taken already.</summary>
    public bool TryTake(IPAddress address)
    {
        var value = Ipv4.ToUInt32(address);
        return Subnet.Contains(value) && taken.Add(value);
    }

    /// <summary>The lowest free address of the range (never its network or broadcast address), taken; null when none is left.</summary>
    public IPAddress? TakeNext()
    {
        var first = Range.PrefixLength >= 31 ? Range.First : Range.First + 1;
        var last = Range.PrefixLength >= 31 ? Range.Last : Range.Last - 1;
        for (var a = Math.Max(first, Subnet.First + 1); a <= last && a >= first; a++)
        {
            if (a == Subnet.Last) break;
            if (taken.Add(a)) return Ipv4.ToAddress(a);
        }
        return null;
    }

    public void Release(IPAddress address) => taken.Remove(Ipv4.ToUInt32(address));
}
