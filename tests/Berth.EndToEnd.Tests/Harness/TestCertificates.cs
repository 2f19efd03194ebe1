using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Throw-away CAs and certificates for TLS tests, made with .NET's own crypto and written as PEM.</summary>
public static class TestCertificates
{
    public static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>A server certificate for <paramref name="ip"/> (or a client certificate, with <paramref name="client"/>) signed by <paramref name="ca"/>.</summary>
    public static X509Certificate2 Issue(X509Certificate2 ca, string name, IPAddress? ip = null, bool client = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [client ? new Oid("1.3.6.1.5.5.7.3.2") : new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (ip is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(ip);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the certificate, and its private key when <paramref name="keyPath"/> is given, as PEM.</summary>
    public static void Write(X509Certificate2 certificate, string certificatePath, string? keyPath = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(certificatePath)!);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (keyPath is null) return;
        using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the certificate has no RSA key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
