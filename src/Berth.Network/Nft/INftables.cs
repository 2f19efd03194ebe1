namespace Berth.Network.Nft;

/// <summary>
/// Runs nft scripts. <see cref="Run"/> applies the whole script as one transaction in the network
/// namespace the runner was created in: either every command takes effect or none does, and a
/// failure throws <see cref="NftablesException"/> carrying nft's error text.
/// </summary>
public interface INftables
{
    void Run(string script);
}
