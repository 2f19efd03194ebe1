using System.Security.Cryptography.X509Certificates;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// A registry's certificates from its certs.d directory, as dockerd reads them: every <c>*.crt</c>
/// is a CA to trust besides the system's, every <c>NAME.cert</c> with its <c>NAME.key</c> a client certificate.
/// </summary>
internal sealed class HostCertificates
{
    public static readonly HostCertificates None = new([], [], "");

    private HostCertificates(X509Certificate2Collection authorities, X509Certificate2Collection clients, string fingerprint)
    {
        Authorities = authorities;
        Clients = clients;
        Fingerprint = fingerprint;
    }

    public X509Certificate2Collection Authorities { get; }
    public X509Certificate2Collection Clients { get; }

    /// <summary>The files' names, sizes and times: a changed directory gives a new HTTP client.</summary>
    public string Fingerprint { get; }

    public static string FingerprintOf(string directory) =>
        Directory.Exists(directory)
            ? string.Join('|', new DirectoryInfo(directory).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"))
            : "";

    public static HostCertificates Load(string directory)
    {
        var fingerprint = FingerprintOf(directory);
        if (fingerprint.Length == 0) return None;
        var authorities = new X509Certificate2Collection();
        var clients = new X509Certificate2Collection();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".crt", StringComparison.Ordinal))
                authorities.ImportFromPemFile(file);
            else if (file.EndsWith(".cert", StringComparison.Ordinal))
            {
                var key = Path.ChangeExtension(file, ".key");
                if (!File.Exists(key)) throw new InvalidDataException($"missing key {Path.GetFileName(key)} for client certificate {Path.GetFileName(file)}");
                using var pem = X509Certificate2.CreateFromPemFile(file, key);
                // SslStream on Linux needs the private key in a form it can hand to OpenSSL: round-trip through PKCS#12.
                clients.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
            }
            else if (file.EndsWith(".key", StringComparison.Ordinal) && !File.Exists(Path.ChangeExtension(file, ".cert")))
                throw new InvalidDataException($"missing client certificate {Path.GetFileNameWithoutExtension(file)}.cert for key {Path.GetFileName(file)}");
        }
        return new HostCertificates(authorities, clients, fingerprint);
    }
}
