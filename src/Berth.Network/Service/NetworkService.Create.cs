using System.Net;
using Berth.Api.Errors;
using Berth.Api.Wire.Networks;
using Berth.Network.Ipam;
using Berth.Network.Store;

namespace Berth.Network.Service;

public sealed partial class NetworkService
{
    /// <summary>Creates a user-defined network: validates it, picks or checks its subnet, makes its bridge and rules, and stores it.</summary>
    public NetworkCreateResponse Create(NetworkCreateRequest request)
    {
        var driver = string.IsNullOrEmpty(request.Driver) ? Drivers.Bridge : request.Driver;
        if (string.IsNullOrEmpty(request.Name)) throw BerthException.System("invalid name: ");
        if (request.Name is "bridge" or "host" or "none") throw BerthException.Forbidden("operation is not permitted on predefined bridge network ");
        if (driver is Drivers.Host or Drivers.Null or "none")
            throw BerthException.Forbidden($"only one instance of \"{(driver == "none" ? Drivers.Null : driver)}\" network is allowed");
        if (driver is not (Drivers.Bridge or Drivers.Macvlan))
            throw BerthException.NotFound($"plugin \"{driver}\" not found");
        if (request.EnableIPv6) throw BerthException.NotFound("could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network");

        lock (gate)
        {
            if (networks.Values.Any(n => n.Name == request.Name))
                throw BerthException.Conflict($"network with name {request.Name} already exists");
            var record = new NetworkRecord
            {
                Id = NewId(),
                Name = request.Name,
                Driver = driver,
                Created = DateTime.UtcNow,
                Internal = request.Internal,
                Attachable = request.Attachable,
                Labels = request.Labels ?? [],
                Options = request.Options ?? [],
                IpamOptions = request.IPAM?.Options,
            };
            var configs = request.IPAM?.Config ?? [];
            if (configs.Count > 1) throw BerthException.Forbidden("bridge driver doesn't support multiple subnets");
            record.Subnets = [ChooseSubnet(configs.FirstOrDefault(), record)];
            record.UserSubnets = configs.Count > 0 && !string.IsNullOrEmpty(configs[0].Subnet);
            switch (driver)
            {
                case Drivers.Bridge:
                    record.BridgeName = record.Options.TryGetValue(BridgeNameOption, out var bridgeName) && bridgeName.Length > 0 ? bridgeName : "br-" + record.Id[..12];
                    if (networks.Values.FirstOrDefault(n => n.Driver == Drivers.Bridge && n.BridgeName == record.BridgeName) is { } same)
                        throw BerthException.Forbidden($"cannot create network {record.Id} ({record.BridgeName}): conflicts with network {same.Id} ({same.BridgeName}): networks have same bridge name");
                    CreateBridge(record);
                    break;
                case Drivers.Macvlan:
                    record.Parent = MacvlanParent(record);
                    break;
            }
            networks[record.Id] = record;
            pools[record.Id] = PoolFor(record);
            try
            {
                store.Save(record);
                if (driver == Drivers.Bridge) ApplyFirewall();
            }
            catch
            {
                networks.Remove(record.Id);
                pools.Remove(record.Id);
                if (driver == Drivers.Bridge) host.DeleteLink(record.BridgeName);
                store.Delete(record.Id);
                throw;
            }
            return new NetworkCreateResponse { Id = record.Id };
        }
    }

    private void CreateBridge(NetworkRecord record)
    {
        try
        {
            EnsureBridgeDevice(record);
        }
        catch (IOException e)
        {
            host.DeleteLink(record.BridgeName);
            throw BerthException.System($"failed to create the bridge {record.BridgeName}: {e.Message}", e);
        }
    }

    /// <summary>The subnet, range, gateway and auxiliary addresses, checked as dockerd checks them; a free default pool when none is given.</summary>
    private SubnetRecord ChooseSubnet(IpamConfig? config, NetworkRecord record)
    {
        var inUse = networks.Values.SelectMany(n => n.Subnets).Select(s => Ipv4Subnet.Parse(s.Subnet)!.Value).ToList();
        Ipv4Subnet subnet;
        if (config is null || string.IsNullOrEmpty(config.Subnet))
        {
            if (!string.IsNullOrEmpty(config?.IPRange) || !string.IsNullOrEmpty(config?.Gateway))
                throw BerthException.InvalidParameter("ip-range and gateway need a subnet");
            var routed = record.Driver == Drivers.Bridge
                ? host.Routes().Where(r => r.PrefixLength > 0).Select(r => new Ipv4Subnet(Ipv4.ToUInt32(r.Destination), r.PrefixLength))
                : [];
            subnet = DefaultAddressPools.FirstFree(inUse.Concat(routed))
                ?? throw BerthException.NotFound("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
            return new SubnetRecord { Subnet = subnet.ToString(), Gateway = Ipv4.ToAddress(subnet.First + 1).ToString() };
        }

        subnet = Ipv4Subnet.Parse(config.Subnet) ?? throw BerthException.System($"Invalid subnet {config.Subnet} : invalid CIDR address: {config.Subnet}");
        if (inUse.Any(u => u.Overlaps(subnet.Canonical)))
            throw BerthException.Forbidden("Pool overlaps with other one on this address space");
        Ipv4Subnet? range = null;
        if (!string.IsNullOrEmpty(config.IPRange))
        {
            range = Ipv4Subnet.Parse(config.IPRange) ?? throw BerthException.System($"Invalid range {config.IPRange} : invalid CIDR address: {config.IPRange}");
            if (!subnet.ContainsSubnet(range.Value.Canonical))
                throw BerthException.Forbidden($"Invalid address {config.IPRange}: It does not belong to any of this network's subnets");
        }
        IPAddress gateway;
        if (!string.IsNullOrEmpty(config.Gateway))
        {
            gateway = Ipv4.Parse(config.Gateway) ?? throw BerthException.InvalidParameter($"invalid gateway address {config.Gateway} in Ipam configuration");
            if (!subnet.Contains(gateway)) throw BerthException.System($"failed to allocate gateway ({config.Gateway}): Requested address is out of range");
            var value = Ipv4.ToUInt32(gateway);
            if (subnet.PrefixLength < 31 && (value == subnet.First || value == subnet.Last))
                throw BerthException.System($"failed to allocate gateway ({config.Gateway}): Address already in use");
        }
        else
        {
            gateway = Ipv4.ToAddress(subnet.First + 1);
        }
        foreach (var (key, value) in config.AuxiliaryAddresses ?? [])
        {
            var aux = Ipv4.Parse(value) ?? throw BerthException.InvalidParameter($"invalid auxiliary address {key}: {value}");
            if (!subnet.Contains(aux)) throw BerthException.Forbidden($"auxiliary address: ({key}:{value}) must belong to the master pool: {subnet.Canonical}");
        }
        return new SubnetRecord
        {
            Subnet = subnet.Canonical.ToString(),
            IPRange = range?.Canonical.ToString(),
            Gateway = gateway.ToString(),
            // As dockerd shows it: a gateway the pool chose is not listed for a user's subnet.
            GatewayHidden = string.IsNullOrEmpty(config.Gateway),
            AuxiliaryAddresses = config.AuxiliaryAddresses,
        };
    }

    /// <summary>The macvlan parent: it must exist and serve no other macvlan network; a VLAN sub-interface (<c>eth0.10</c>) needs 802.1q, which this kernel may lack.</summary>
    private string MacvlanParent(NetworkRecord record)
    {
        if (!record.Options.TryGetValue("parent", out var parent) || parent.Length == 0)
            throw BerthException.System("operation not supported: a macvlan network without -o parent needs a dummy link, and this kernel has no dummy driver");
        if (record.Options.TryGetValue("macvlan_mode", out var mode) && mode is not ("" or "bridge"))
            throw BerthException.System($"requested macvlan mode '{mode}' is not valid, 'bridge' mode is the macvlan driver default");
        if (networks.Values.FirstOrDefault(n => n.Driver == Drivers.Macvlan && n.Parent == parent) is { } user)
            throw BerthException.System($"network dm-{user.Id[..12]} is already using parent interface {parent}");
        if (host.IndexOf(parent) > 0) return parent;
        var dot = parent.LastIndexOf('.');
        if (dot <= 0 || !int.TryParse(parent[(dot + 1)..], out _))
            throw BerthException.System($"invalid subinterface vlan name {parent}, example formatting is eth0.10");
        if (host.IndexOf(parent[..dot]) == 0)
            throw BerthException.System($"-o parent interface does was not found on the host: {parent[..dot]}");
        throw BerthException.System($"failed to create {parent} vlan link: operation not supported");
    }
}
