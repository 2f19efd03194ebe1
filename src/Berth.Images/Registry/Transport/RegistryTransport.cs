using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using Berth.Images.Registry.Auth;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// The HTTP clients berthd talks to registries with, one per scheme, host and port, each a chain of
/// <see cref="RegistryAuthHandler"/> over a socket handler with that host's TLS settings (certs.d CAs
/// and client certificate; no verification for an insecure registry). Requests sent through them
/// get authentication and TLS without more work, whatever code sends them (pull, push, login).
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _clients = new(StringComparer.Ordinal);
    private readonly TokenClient _tokens;

    public RegistryTransport(RegistrySettings settings) : this(settings, TimeProvider.System, resolve: null)
    {
    }

    /// <param name="resolve">Looks registry host names up, to match them against insecure CIDRs (DNS when null).</param>
    internal RegistryTransport(RegistrySettings settings, TimeProvider time, Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? resolve)
    {
        Settings = settings;
        Insecure = new InsecureRegistries(settings.InsecureRegistries, resolve);
        _tokens = new TokenClient((realm, skipTlsVerify) =>
            ClientFor(new RegistryEndpoint(new Uri(realm.GetLeftPart(UriPartial.Authority) + "/"), skipTlsVerify, IsMirror: false)), time);
    }

    public RegistrySettings Settings { get; }

    internal InsecureRegistries Insecure { get; }

    /// <summary>The client for an endpoint; rebuilt when the host's certs.d directory changes, as dockerd reads it afresh for each pull.</summary>
    public HttpClient ClientFor(RegistryEndpoint endpoint) => EntryFor(endpoint).Client;

    private Entry EntryFor(RegistryEndpoint endpoint)
    {
        var certsDirectory = Path.Combine(Settings.CertsDirectory, endpoint.HostAndPort);
        var fingerprint = endpoint.IsHttps ? HostCertificates.FingerprintOf(certsDirectory) : "";
        var key = $"{endpoint.BaseUri.GetLeftPart(UriPartial.Authority)}|{endpoint.SkipTlsVerify}";
        if (_clients.TryGetValue(key, out var existing) && existing.Fingerprint == fingerprint) return existing;
        // A replaced client is left to the collector rather than disposed: a pull may still be using it.
        var created = Create(endpoint, certsDirectory);
        _clients[key] = created;
        return created;
    }

    private Entry Create(RegistryEndpoint endpoint, string certsDirectory)
    {
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        TlsVerifier? verifier = null;
        var fingerprint = "";
        if (endpoint.IsHttps)
        {
            HostCertificates certificates;
            try
            {
                certificates = HostCertificates.Load(certsDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                throw Berth.Api.Errors.BerthException.System($"error loading the certificates in {certsDirectory}: {e.Message}");
            }
            fingerprint = certificates.Fingerprint;
            verifier = new TlsVerifier(certificates.Authorities, endpoint.SkipTlsVerify, endpoint.HostAndPort);
            sockets.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = verifier.Verify,
                ClientCertificates = certificates.Clients,
                EnabledSslProtocols = SslProtocols.None,
            };
        }
        HttpMessageHandler inner = verifier is null ? sockets : new TlsFailureHandler(verifier) { InnerHandler = sockets };
        var client = new HttpClient(new RegistryAuthHandler(_tokens, endpoint.SkipTlsVerify) { InnerHandler = inner }) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("berthd");
        return new Entry(client, fingerprint);
    }

    public void Dispose()
    {
        foreach (var entry in _clients.Values) entry.Client.Dispose();
        _clients.Clear();
    }

    private sealed record Entry(HttpClient Client, string Fingerprint);
}
