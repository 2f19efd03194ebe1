namespace Berth.Network.Nft;

/// <summary>Everything Berth's firewall rules are made from; <see cref="RulesetWriter"/> turns it into nft's.</summary>
public sealed record FirewallState(IReadOnlyList<FirewallNetwork> Networks, IReadOnlyList<PublishedPort> Ports)
{
    public static FirewallState Empty { get; } = new([], []);
}
