using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// A registry token server of the tests' own, in the test's network namespace, as docker-registry's
/// <c>auth: token:</c> expects one: it answers <c>GET /token?service=&amp;scope=</c> with a JWT signed
/// by a key whose certificate (in the JWT's x5c header) the registry trusts through <see cref="CertificatePath"/>.
/// Repositories under <c>public/</c> may be pulled by anyone; the others only by the one user it knows.
/// Asked for an offline token at login, it gives a refresh token, which it then takes instead of
/// the password in the OAuth form <c>POST /token</c> (grant_type=refresh_token).
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "berth-test-registry";
    public const string Issuer = "berth-test-issuer";
    private readonly X509Certificate2 _signer;
    private readonly MiniHttpServer _server;
    private readonly string _user;
    private readonly string _password;
    private readonly List<MiniHttpRequest> _requests = [];
    private readonly string _refreshToken = $"refresh-{Guid.NewGuid():N}";

    public TokenServer(NetworkNamespace ns, string directory, string user, string password)
    {
        _user = user;
        _password = password;
        _signer = TestCertificates.CreateCa("berth test token signer");
        CertificatePath = Path.Combine(directory, "token-signer.crt");
        TestCertificates.Write(_signer, CertificatePath);
        _server = new MiniHttpServer(ns, Answer);
    }

    public string CertificatePath { get; }

    public string Realm => $"http://127.0.0.1:{_server.Port}/token";

    /// <summary>The YAML of docker-registry's <c>auth:</c> section for this server.</summary>
    public string RegistryAuthConfig =>
        $"  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {CertificatePath}";

    /// <summary>Every token request so far.</summary>
    public IReadOnlyList<MiniHttpRequest> Requests
    {
        get
        {
            lock (_requests) return _requests.ToList();
        }
    }

    private MiniHttpResponse Answer(MiniHttpRequest request)
    {
        lock (_requests) _requests.Add(request);
        if (request.Path != "/token") return new MiniHttpResponse(404, """{"details":"not found"}""");
        string? account = null;
        var parameters = request.Method == "POST" ? request.Form : request.Query;
        if (request.Method == "POST")
        {
            if (request.Form.FirstOrDefault(f => f.Key == "grant_type").Value != "refresh_token"
                || request.Form.FirstOrDefault(f => f.Key == "refresh_token").Value != _refreshToken)
                return new MiniHttpResponse(401, """{"details":"invalid refresh token"}""");
            account = _user;
        }
        else if (request.Headers.TryGetValue("Authorization", out var authorization))
        {
            var pair = authorization.StartsWith("Basic ", StringComparison.Ordinal)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]))
                : "";
            if (pair != $"{_user}:{_password}") return new MiniHttpResponse(401, """{"details":"incorrect username or password"}""");
            account = _user;
        }
        var access = new JsonArray();
        foreach (var scope in parameters.Where(q => q.Key == "scope").SelectMany(q => q.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = scope.Split(':');
            if (parts.Length != 3 || parts[0] != "repository") continue;
            var allowed = parts[2].Split(',').Where(action => action == "pull" ? account is not null || parts[1].StartsWith("public/", StringComparison.Ordinal) : account is not null);
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = parts[1], ["actions"] = new JsonArray(allowed.Select(a => (JsonNode)a).ToArray()) });
        }
        var token = Sign(account ?? "", access);
        var answer = new JsonObject
        {
            ["token"] = token, ["access_token"] = token, ["expires_in"] = 300, ["issued_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (account is not null && request.Query.Contains(KeyValuePair.Create("offline_token", "true"))) answer["refresh_token"] = _refreshToken;
        return new MiniHttpResponse(200, answer.ToJsonString());
    }

    private string Sign(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_signer.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = subject, ["aud"] = Service, ["exp"] = now + 300, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        using var key = _signer.GetRSAPrivateKey()!;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _signer.Dispose();
    }
}
