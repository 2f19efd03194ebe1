namespace Berth.Network.Ipam;

/// <summary>
/// dockerd's default address pools: 172.17–172.31 as /16s, then 192.168.0.0/16 as /20s. The
/// default bridge takes the first; each new network takes the first subnet that overlaps no
/// network and no route the host has.
/// </summary>
public static class DefaultAddressPools
{
    public static IEnumerable<Ipv4Subnet> Candidates()
    {
        for (uint second = 17; second <= 31; second++) yield return new Ipv4Subnet((172u << 24) | (second << 16), 16);
        for (uint third = 0; third < 256; third += 16) yield return new Ipv4Subnet((192u << 24) | (168u << 16) | (third << 8), 20);
    }

    /// <summary>The first candidate clear of every subnet in <paramref name="inUse"/>; null when all are used.</summary>
    public static Ipv4Subnet? FirstFree(IEnumerable<Ipv4Subnet> inUse)
    {
        var used = inUse.ToList();
        return Candidates().Cast<Ipv4Subnet?>().FirstOrDefault(c => !used.Any(u => u.Overlaps(c!.Value)));
    }
}
