using Berth.Network.Nft;

namespace Berth.Network.Tests.Nft;

public sealed class FirewallTests
{
    private sealed class RecordingNftables : INftables
    {
        public List<string> Scripts { get; } = [];

        public void Run(string script) => Scripts.Add(script);
    }

    [Fact]
    public void Applying_a_state_runs_its_whole_script_at_once()
    {
        var nftables = new RecordingNftables();
        new Firewall(nftables).Apply(SampleStates.TwoNetworks);
        Assert.Equal([RulesetWriter.Write(SampleStates.TwoNetworks)], nftables.Scripts);
    }

    [Fact]
    public void An_invalid_state_runs_nothing()
    {
        var nftables = new RecordingNftables();
        Assert.Throws<ArgumentException>(() => new Firewall(nftables).Apply(new FirewallState([new FirewallNetwork("n", "br-*", "10.0.0.0/24")], [])));
        Assert.Empty(nftables.Scripts);
    }
}
