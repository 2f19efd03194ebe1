namespace Berth.Network.Nft;

/// <summary>
/// Berth's firewall and NAT rules. <see cref="Apply"/> replaces <c>table ip berth</c> with the rules for
/// a whole state in one transaction, so the rules are always those of one state, never a mix; callers
/// serialize their changes to the state and apply each result.
/// </summary>
public sealed class Firewall(INftables nftables)
{
    /// <summary>Throws <see cref="ArgumentException"/> for an invalid state, <see cref="NftablesException"/> when nft refuses it (and then nothing changed).</summary>
    public void Apply(FirewallState state) => nftables.Run(RulesetWriter.Write(state));
}
