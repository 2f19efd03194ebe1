namespace Berth.Network.Nft;

public enum PortProtocol
{
    Tcp,
    Udp,
}
