using Berth.Network.Ipam;

namespace Berth.Network.Tests.Ipam;

public sealed class AddressPoolTests
{
    private static AddressPool Pool(string subnet, string? range = null) =>
        new(Ipv4Subnet.Parse(subnet)!.Value, range is null ? null : Ipv4Subnet.Parse(range));

    [Fact]
    public void Hands_out_the_lowest_free_address_after_the_gateway_and_reuses_released_ones()
    {
        var pool = Pool("172.17.0.0/16");
        Assert.True(pool.TryTake(Ipv4.Parse("172.17.0.1")!));
        Assert.Equal("172.17.0.2", pool.TakeNext()!.ToString());
        Assert.Equal("172.17.0.3", pool.TakeNext()!.ToString());
        pool.Release(Ipv4.Parse("172.17.0.2")!);
        Assert.Equal("172.17.0.2", pool.TakeNext()!.ToString());
        Assert.Equal("172.17.0.4", pool.TakeNext()!.ToString());
    }

    [Fact]
    public void A_range_limits_dynamic_addresses_but_not_chosen_ones()
    {
        var pool = Pool("10.10.0.0/24", "10.10.0.128/25");
        pool.TryTake(Ipv4.Parse("10.10.0.130")!);
        Assert.Equal("10.10.0.129", pool.TakeNext()!.ToString());
        Assert.Equal("10.10.0.131", pool.TakeNext()!.ToString());
        Assert.True(pool.TryTake(Ipv4.Parse("10.10.0.50")!));
        Assert.False(pool.TryTake(Ipv4.Parse("10.10.0.50")!));
        Assert.False(pool.TryTake(Ipv4.Parse("10.11.0.50")!));
    }

    [Fact]
    public void Never_hands_out_the_network_or_broadcast_address_and_says_when_it_is_full()
    {
        var pool = Pool("10.9.0.0/30");
        pool.TryTake(Ipv4.Parse("10.9.0.1")!);
        Assert.Equal("10.9.0.2", pool.TakeNext()!.ToString());
        Assert.Null(pool.TakeNext());
    }

    [Fact]
    public void Default_pools_follow_dockerds_order_and_skip_what_is_in_use()
    {
        var candidates = DefaultAddressPools.Candidates().Select(c => c.ToString()).ToList();
        Assert.Equal(31, candidates.Count);
        Assert.Equal("172.17.0.0/16", candidates[0]);
        Assert.Equal("172.31.0.0/16", candidates[14]);
        Assert.Equal("192.168.0.0/20", candidates[15]);
        Assert.Equal("192.168.240.0/20", candidates[30]);
        var used = new[] { "172.17.0.0/16", "172.18.0.0/16", "172.19.5.0/24" }.Select(s => Ipv4Subnet.Parse(s)!.Value);
        Assert.Equal("172.20.0.0/16", DefaultAddressPools.FirstFree(used).ToString());
        Assert.Null(DefaultAddressPools.FirstFree(DefaultAddressPools.Candidates()));
    }
}
