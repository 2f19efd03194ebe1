namespace Berth.Network.Nft;

/// <summary>nft refused a script or a command; the message is nft's own error text.</summary>
public sealed class NftablesException(string message) : Exception(message);
