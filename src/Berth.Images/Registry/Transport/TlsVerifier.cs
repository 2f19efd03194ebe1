using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// Verifies a registry's certificate against the system's CAs and its certs.d CAs (or not at all,
/// for an insecure registry), and remembers why it refused, in Go's words, for the error message.
/// </summary>
internal sealed class TlsVerifier(X509Certificate2Collection authorities, bool skipVerify, string host)
{
    public string? LastRefusal { get; private set; }

    public bool Verify(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (skipVerify || errors == SslPolicyErrors.None
            || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && authorities.Count > 0 && ChainsToOurCa(certificate, chain)))
        {
            LastRefusal = null;
            return true;
        }
        LastRefusal = errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? "remote error: tls: no certificate"
            : errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? $"x509: certificate is not valid for {host}"
            : "x509: certificate signed by unknown authority";
        return false;
    }

    private bool ChainsToOurCa(X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements.Skip(1)) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
