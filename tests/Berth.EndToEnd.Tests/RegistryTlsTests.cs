using System.Net;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Registries on an address that is not loopback (on the lo of the daemon's namespace),
/// over HTTPS with certificates from a test CA: trusted through certs.d, skipped for insecure-registries.
/// </summary>
public sealed class RegistryTlsTests
{
    [Fact]
    public async Task Certs_d_CAs_client_certificates_and_insecure_registries()
    {
        var certsDirectory = Path.Combine(Path.GetTempPath(), $"berth-certs-{Guid.NewGuid():N}");
        await using var daemon = await BerthDaemon.StartAsync(
            $$"""{"registry-certs-dir": "{{certsDirectory}}", "insecure-registries": ["10.123.45.2/32"]}""");
        try
        {
            // The kernel here has no dummy interfaces; addresses outside 127.0.0.0/8 on the namespace's lo serve as well.
            foreach (var address in (string[])["10.123.45.1/32", "10.123.45.2/32", "10.123.45.3/32"])
                (await daemon.Namespace.RunAsync("ip", "addr", "add", address, "dev", "lo")).AssertSuccess();

            Assert.Contains(" Insecure Registries:\n  10.123.45.2/32\n  127.0.0.0/8\n", (await daemon.DockerAsync("info")).AssertSuccess().Stdout);

            var pki = Path.Combine(daemon.Root, "pki");
            using var ca = TestCertificates.CreateCa("berth test registry CA");
            TestCertificates.Write(ca, Path.Combine(pki, "ca.crt"));
            await using var verified = await StartTlsRegistryAsync(daemon, ca, pki, "10.123.45.1");
            await using var insecure = await StartTlsRegistryAsync(daemon, ca, pki, "10.123.45.2");
            await using var clientChecking = await StartTlsRegistryAsync(daemon, ca, pki, "10.123.45.3", requireClientCertificate: true);

            // Without the CA the certificate cannot be verified, as dockerd words it.
            var untrusted = await daemon.DockerAsync("pull", $"{verified.Host}/test/busybox:v1");
            Assert.NotEqual(0, untrusted.ExitCode);
            Assert.Contains($"Get \"https://{verified.Host}/v2/\": x509: certificate signed by unknown authority", untrusted.Stderr);

            // certs.d is read afresh for each pull, as in dockerd.
            File.Copy(Path.Combine(pki, "ca.crt"), Path.Combine(Directory.CreateDirectory(Path.Combine(certsDirectory, verified.Host)).FullName, "ca.crt"));
            (await daemon.DockerAsync("pull", $"{verified.Host}/test/busybox:v1")).AssertSuccess();

            // An insecure registry's certificate is not checked.
            Assert.Contains($"Status: Downloaded newer image for {insecure.Host}/test/busybox:v1",
                (await daemon.DockerAsync("pull", $"{insecure.Host}/test/busybox:v1")).AssertSuccess().Stdout);

            var hostCerts = Directory.CreateDirectory(Path.Combine(certsDirectory, clientChecking.Host)).FullName;
            File.Copy(Path.Combine(pki, "ca.crt"), Path.Combine(hostCerts, "ca.crt"));
            var withoutClientCertificate = await daemon.DockerAsync("pull", $"{clientChecking.Host}/test/busybox:v1");
            Assert.NotEqual(0, withoutClientCertificate.ExitCode);
            Assert.Contains($"https://{clientChecking.Host}/v2/", withoutClientCertificate.Stderr);
            using (var client = TestCertificates.Issue(ca, "berth test client", client: true))
                TestCertificates.Write(client, Path.Combine(hostCerts, "client.cert"), Path.Combine(hostCerts, "client.key"));
            (await daemon.DockerAsync("pull", $"{clientChecking.Host}/test/busybox:v1")).AssertSuccess();
        }
        finally
        {
            if (Directory.Exists(certsDirectory)) Directory.Delete(certsDirectory, recursive: true);
        }
    }

    /// <summary>A registry on <paramref name="address"/> with a certificate from <paramref name="ca"/>, holding busybox as test/busybox:v1.</summary>
    private static async Task<LocalRegistry> StartTlsRegistryAsync(BerthDaemon daemon, System.Security.Cryptography.X509Certificates.X509Certificate2 ca,
        string pki, string address, bool requireClientCertificate = false)
    {
        var certificate = Path.Combine(pki, $"{address}.crt");
        var key = Path.Combine(pki, $"{address}.key");
        using (var server = TestCertificates.Issue(ca, address, IPAddress.Parse(address)))
            TestCertificates.Write(server, certificate, key);
        var registry = await LocalRegistry.StartAsync(daemon.Namespace, Path.Combine(daemon.Root, $"registry-{address}"), new LocalRegistryOptions(
            Address: address, TlsCertificate: (certificate, key), ClientCas: requireClientCertificate ? [Path.Combine(pki, "ca.crt")] : null));
        var pushOptions = new List<string>();
        if (requireClientCertificate)
        {
            // skopeo reads a client key pair (and CAs) from a directory laid out as certs.d.
            var skopeoCerts = Directory.CreateDirectory(Path.Combine(pki, $"skopeo-{address}")).FullName;
            using var client = TestCertificates.Issue(ca, "skopeo", client: true);
            TestCertificates.Write(client, Path.Combine(skopeoCerts, "client.cert"), Path.Combine(skopeoCerts, "client.key"));
            File.Copy(Path.Combine(pki, "ca.crt"), Path.Combine(skopeoCerts, "ca.crt"));
            pushOptions.AddRange(["--dest-cert-dir", skopeoCerts]);
        }
        await registry.PushAsync($"docker-archive:{await TestImages.BusyboxArchiveAsync()}", "test/busybox:v1", pushOptions.ToArray());
        return registry;
    }
}
