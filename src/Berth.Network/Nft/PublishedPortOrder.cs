using System.Net;

namespace Berth.Network.Nft;

/// <summary>Protocol, host port, a given host address before all addresses, then the rest, so output is stable.</summary>
internal sealed class PublishedPortOrder : IComparer<PublishedPort>
{
    public static readonly PublishedPortOrder Instance = new();

    public int Compare(PublishedPort? x, PublishedPort? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c;
        if ((c = x.Protocol.CompareTo(y.Protocol)) != 0) return c;
        if ((c = x.HostPort.CompareTo(y.HostPort)) != 0) return c;
        if ((c = x.HostIp.Equals(IPAddress.Any).CompareTo(y.HostIp.Equals(IPAddress.Any))) != 0) return c;
        if ((c = CompareAddresses(x.HostIp, y.HostIp)) != 0) return c;
        if ((c = CompareAddresses(x.ContainerIp, y.ContainerIp)) != 0) return c;
        if ((c = x.ContainerPort.CompareTo(y.ContainerPort)) != 0) return c;
        return string.CompareOrdinal(x.BridgeName, y.BridgeName);
    }

    private static int CompareAddresses(IPAddress x, IPAddress y) =>
        x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
}
