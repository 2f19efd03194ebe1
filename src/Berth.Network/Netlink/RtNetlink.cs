using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Netlink;

/// <summary>A network interface as the kernel lists it.</summary>
public sealed record LinkInfo(int Index, string Name, string Kind, int MasterIndex, bool Up);

/// <summary>An IPv4 route of the main table: destination network and prefix length.</summary>
public sealed record RouteInfo(IPAddress Destination, int PrefixLength, int OutputIndex);

/// <summary>
/// rtnetlink requests for links, addresses and routes, in the namespace the socket was opened
/// in (see <see cref="NetworkNamespace"/> for another one). Every call is one request and its
/// acknowledgement; calls are serialised.
/// </summary>
public sealed class RtNetlink : IDisposable
{
    private const ushort RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19, RTM_NEWADDR = 20, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
    private const ushort IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_MASTER = 10, IFLA_LINKINFO = 18, IFLA_NET_NS_FD = 28;
    private const ushort IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1, IFLA_MACVLAN_MODE = 1;
    private const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_BROADCAST = 4;
    private const ushort RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5;
    private const uint IFF_UP = 1;
    private const byte AF_BRIDGE = 7;
    private const ushort IFLA_PROTINFO = 12, IFLA_BRPORT_MODE = 4, NLA_F_NESTED = 0x8000;
    private const uint MACVLAN_MODE_BRIDGE = 4;
    private readonly NetlinkSocket socket = new();
    private readonly Lock gate = new();

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public RtNetlink() { }

    public IReadOnlyList<LinkInfo> Links()
    {
        var links = new List<LinkInfo>();
        var request = new NetlinkMessage(RTM_GETLINK, NetlinkMessage.NLM_F_DUMP).Header(IfInfo(0, 0, 0));
        lock (gate)
        {
            socket.Dump(request, "list links", RTM_NEWLINK, payload =>
            {
                var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
                var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
                string name = "", kind = "";
                var master = 0;
                foreach (var (type, value) in Attributes.Read(payload[16..]))
                {
                    if (type == IFLA_IFNAME) name = Attributes.String(value);
                    else if (type == IFLA_MASTER && value.Length >= 4) master = BinaryPrimitives.ReadInt32LittleEndian(value);
                    else if (type == IFLA_LINKINFO)
                        foreach (var (infoType, infoValue) in Attributes.Read(value))
                            if (infoType == IFLA_INFO_KIND) kind = Attributes.String(infoValue);
                }
                links.Add(new LinkInfo(index, name, kind, master, (flags & IFF_UP) != 0));
            });
        }
        return links;
    }

    /// <summary>The interface's index, or 0 when there is none of that name.</summary>
    public int IndexOf(string name)
    {
        var index = 0;
        var request = new NetlinkMessage(RTM_GETLINK, NetlinkMessage.NLM_F_ACK).Header(IfInfo(0, 0, 0)).Attribute(IFLA_IFNAME, name);
        try
        {
            lock (gate) socket.Dump(request, $"find link {name}", RTM_NEWLINK, payload => index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]));
        }
        catch (NetlinkException e) when (e.Errno is 19) // ENODEV
        {
            return 0;
        }
        return index;
    }

    public void CreateBridge(string name, byte[] mac, int mtu)
    {
        var m = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
            .Header(IfInfo(0, IFF_UP, IFF_UP))
            .Attribute(IFLA_IFNAME, name)
            .Attribute(IFLA_ADDRESS, mac);
        if (mtu > 0) m.Attribute(IFLA_MTU, (uint)mtu);
        var info = m.BeginNested(IFLA_LINKINFO);
        m.Attribute(IFLA_INFO_KIND, "bridge").EndNested(info);
        Send(m, $"create bridge {name}");
    }

    /// <summary>
    /// Creates a veth pair in one request: <paramref name="hostName"/> up and joined to
    /// <paramref name="masterIndex"/> here, <paramref name="peerName"/> up with <paramref name="peerMac"/>
    /// in the namespace open as <paramref name="peerNamespaceFd"/>.
    /// </summary>
    public void CreateVeth(string hostName, int masterIndex, int mtu, string peerName, byte[] peerMac, int peerNamespaceFd)
    {
        var m = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
            .Header(IfInfo(0, 0, 0))
            .Attribute(IFLA_IFNAME, hostName);
        if (mtu > 0) m.Attribute(IFLA_MTU, (uint)mtu);
        var info = m.BeginNested(IFLA_LINKINFO);
        m.Attribute(IFLA_INFO_KIND, "veth");
        var data = m.BeginNested(IFLA_INFO_DATA);
        var peer = m.BeginNested(VETH_INFO_PEER);
        m.Header(IfInfo(0, 0, 0))
            .Attribute(IFLA_IFNAME, peerName)
            .Attribute(IFLA_ADDRESS, peerMac)
            .Attribute(IFLA_NET_NS_FD, (uint)peerNamespaceFd);
        if (mtu > 0) m.Attribute(IFLA_MTU, (uint)mtu);
        m.EndNested(peer).EndNested(data).EndNested(info);
        Send(m, $"create veth pair {hostName}");
        // The kernel refuses the master and the up flag in the creating request (ENOTCONN): a second request sets both.
        var set = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK)
            .Header(IfInfo(0, IFF_UP, IFF_UP))
            .Attribute(IFLA_IFNAME, hostName)
            .Attribute(IFLA_MASTER, (uint)masterIndex);
        Send(set, $"attach {hostName} to its bridge");
        // Hairpin: with br_netfilter a container's packet to its own published port is bridged back out the port it came in on.
        var hairpin = new NetlinkMessage(RTM_SETLINK, NetlinkMessage.NLM_F_ACK).Header(IfInfo(IndexOf(hostName), 0, 0, AF_BRIDGE));
        var protinfo = hairpin.BeginNested((ushort)(IFLA_PROTINFO | NLA_F_NESTED));
        hairpin.Attribute(IFLA_BRPORT_MODE, (ReadOnlySpan<byte>)[1]).EndNested(protinfo);
        Send(hairpin, $"set hairpin mode on {hostName}");
    }

    /// <summary>Creates a bridge-mode macvlan on <paramref name="parentIndex"/>, moved at once into the namespace open as <paramref name="namespaceFd"/> under <paramref name="name"/>.</summary>
    public void CreateMacvlan(string name, int parentIndex, byte[] mac, int namespaceFd)
    {
        var m = new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
            .Header(IfInfo(0, IFF_UP, IFF_UP))
            .Attribute(IFLA_IFNAME, name)
            .Attribute(IFLA_LINK, (uint)parentIndex)
            .Attribute(IFLA_ADDRESS, mac)
            .Attribute(IFLA_NET_NS_FD, (uint)namespaceFd);
        var info = m.BeginNested(IFLA_LINKINFO);
        m.Attribute(IFLA_INFO_KIND, "macvlan");
        var data = m.BeginNested(IFLA_INFO_DATA);
        m.Attribute(IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE).EndNested(data).EndNested(info);
        Send(m, $"create macvlan {name}");
    }

    public void SetUp(string name) =>
        Send(new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK).Header(IfInfo(0, IFF_UP, IFF_UP)).Attribute(IFLA_IFNAME, name), $"set {name} up");

    public void SetUp(int index) =>
        Send(new NetlinkMessage(RTM_NEWLINK, NetlinkMessage.NLM_F_ACK).Header(IfInfo(index, IFF_UP, IFF_UP)), "set link up");

    /// <summary>Deletes a link; false when it was already gone.</summary>
    public bool DeleteLink(string name)
    {
        try
        {
            Send(new NetlinkMessage(RTM_DELLINK, NetlinkMessage.NLM_F_ACK).Header(IfInfo(0, 0, 0)).Attribute(IFLA_IFNAME, name), $"delete link {name}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno is 19 or 2) // ENODEV, ENOENT
        {
            return false;
        }
    }

    /// <summary>Adds an IPv4 address to an interface; an address already there is fine.</summary>
    public void AddAddress(int index, IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        Span<byte> header = stackalloc byte[8];
        header[0] = (byte)AddressFamily.InterNetwork;
        header[1] = (byte)prefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], index);
        var broadcast = Ipam.Ipv4.ToAddress(Ipam.Ipv4.ToUInt32(address) | (prefixLength >= 32 ? 0 : uint.MaxValue >> prefixLength));
        var m = new NetlinkMessage(RTM_NEWADDR, NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE)
            .Header(header)
            .Attribute(IFA_LOCAL, bytes)
            .Attribute(IFA_ADDRESS, bytes)
            .Attribute(IFA_BROADCAST, broadcast.GetAddressBytes());
        Send(m, $"add address {address}/{prefixLength}");
    }

    /// <summary>Adds a default route through <paramref name="gateway"/> on <paramref name="index"/>.</summary>
    public void AddDefaultRoute(IPAddress gateway, int index)
    {
        Span<byte> header = stackalloc byte[12];
        header[0] = (byte)AddressFamily.InterNetwork;
        header[4] = 254; // main table
        header[5] = 3;   // RTPROT_BOOT
        header[6] = 0;   // universe scope
        header[7] = 1;   // unicast
        var m = new NetlinkMessage(RTM_NEWROUTE, NetlinkMessage.NLM_F_ACK | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL)
            .Header(header)
            .Attribute(RTA_GATEWAY, gateway.GetAddressBytes())
            .Attribute(RTA_OIF, (uint)index);
        Send(m, $"add default route via {gateway}");
    }

    /// <summary>The IPv4 routes of the main table, to keep new subnets clear of networks the host already reaches.</summary>
    public IReadOnlyList<RouteInfo> Routes()
    {
        var routes = new List<RouteInfo>();
        Span<byte> header = stackalloc byte[12];
        header[0] = (byte)AddressFamily.InterNetwork;
        var request = new NetlinkMessage(RTM_GETROUTE, NetlinkMessage.NLM_F_DUMP).Header(header);
        lock (gate)
        {
            socket.Dump(request, "list routes", RTM_NEWROUTE, payload =>
            {
                if (payload[0] != (byte)AddressFamily.InterNetwork || payload[4] != 254) return;
                var prefix = payload[1];
                var destination = IPAddress.Any;
                var oif = 0;
                foreach (var (type, value) in Attributes.Read(payload[12..]))
                {
                    if (type == RTA_DST && value.Length == 4) destination = new IPAddress(value);
                    else if (type == RTA_OIF && value.Length >= 4) oif = BinaryPrimitives.ReadInt32LittleEndian(value);
                }
                routes.Add(new RouteInfo(destination, prefix, oif));
            });
        }
        return routes;
    }

    private void Send(NetlinkMessage message, string operation)
    {
        lock (gate) socket.Request(message, operation);
    }

    private static byte[] IfInfo(int index, uint flags, uint change, byte family = 0)
    {
        var header = new byte[16];
        header[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), change);
        return header;
    }

    public void Dispose() => socket.Dispose();
}
