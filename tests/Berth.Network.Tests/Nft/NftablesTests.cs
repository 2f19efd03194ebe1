using Berth.Network.Nft;

namespace Berth.Network.Tests.Nft;

/// <summary>Real rulesets through libnftables, each test in a network namespace of its own.</summary>
public sealed class NftablesTests
{
    [Fact]
    public void An_applied_state_is_listed_exactly_as_written()
    {
        var listing = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            new Firewall(nftables).Apply(SampleStates.TwoNetworks);
            return ListBerth(nftables);
        });
        Assert.Equal(Lines(TableOf(RulesetWriter.Write(SampleStates.TwoNetworks))), Lines(listing));
    }

    [Fact]
    public void Applying_the_same_state_twice_leaves_the_same_table()
    {
        var (first, second) = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            var firewall = new Firewall(nftables);
            firewall.Apply(SampleStates.TwoNetworks);
            var once = ListBerth(nftables);
            firewall.Apply(SampleStates.TwoNetworks);
            return (once, ListBerth(nftables));
        });
        Assert.Equal(first, second);
    }

    [Fact]
    public void An_empty_state_removes_the_table_and_applies_when_there_is_none()
    {
        var error = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            var firewall = new Firewall(nftables);
            firewall.Apply(FirewallState.Empty);
            firewall.Apply(SampleStates.TwoNetworks);
            firewall.Apply(FirewallState.Empty);
            return Assert.Throws<NftablesException>(() => ListBerth(nftables));
        });
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_nft_cannot_parse_fails_with_nfts_message()
    {
        var error = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            return Assert.Throws<NftablesException>(() => nftables.Run("table ip berth {\n\tchain c {\n\t\tfrobnicate\n\t}\n}\n"));
        });
        Assert.StartsWith("Error: syntax error, unexpected newline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_the_kernel_refuses_changes_nothing()
    {
        // dnat outside a nat chain passes nft's checks and is refused by the kernel, after the
        // delete and the new table in the same batch: the whole batch must be rolled back.
        const string refused = "table ip berth {}\ndelete table ip berth\ntable ip other {\n\tchain c {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\ttcp dport 1 dnat to 10.0.0.1\n\t}\n}\n";
        var (before, error, after, otherTables) = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            new Firewall(nftables).Apply(SampleStates.TwoNetworks);
            var before = ListBerth(nftables);
            var error = Assert.Throws<NftablesException>(() => nftables.Run(refused));
            var other = Assert.Throws<NftablesException>(() => nftables.ListTable("ip", "other"));
            return (before, error, ListBerth(nftables), other);
        });
        Assert.Equal(before, after);
        Assert.NotEmpty(error.Message);
        Assert.Contains("No such file or directory", otherTables.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runner_changes_its_own_namespace_only()
    {
        var (own, fresh) = IsolatedNetworkNamespace.Run(() =>
        {
            using var nftables = new Nftables();
            new Firewall(nftables).Apply(SampleStates.TwoNetworks);
            var other = IsolatedNetworkNamespace.Run(() =>
            {
                using var inner = new Nftables();
                return TryList(inner);
            });
            return (ListBerth(nftables), other);
        });
        Assert.Contains("chain forward", own, StringComparison.Ordinal);
        Assert.Null(fresh);
    }

    private static string? TryList(Nftables nftables)
    {
        try
        {
            return ListBerth(nftables);
        }
        catch (NftablesException)
        {
            return null;
        }
    }

    private static string ListBerth(Nftables nftables) => nftables.ListTable(RulesetWriter.TableFamily, RulesetWriter.TableName);

    /// <summary>The script's last command: the table it creates.</summary>
    private static string TableOf(string script) =>
        script[script.IndexOf("table ip berth {\n", StringComparison.Ordinal)..];

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
}
