using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Berth.Images.Registry.Auth;

/// <summary>
/// Fetches bearer tokens from the realm a registry's challenge names, as the Docker client does:
/// a GET with the client's Basic credentials (or none), or, given an identity token, the OAuth
/// refresh-token POST. Tokens are cached per realm, service, scope and credentials until they expire.
/// The token server is spoken to with the registry's TLS trust (no verification for an insecure
/// registry), as the Docker client reuses the registry's transport for it.
/// </summary>
internal sealed class TokenClient(Func<Uri, bool, HttpClient> clientFor, TimeProvider time)
{
    private const string ClientId = "docker";
    private readonly ConcurrentDictionary<(string Realm, string Service, string Scope, RegistryCredentials Credentials), BearerToken> _cache = new();

    /// <param name="fresh">Skip the cache, when the registry has just refused the cached token.</param>
    /// <param name="login">At login: ask for an offline token and hand back the refresh token, if any.</param>
    public async Task<string> GetAsync(AuthChallenge challenge, string? scope, RegistryCredentials credentials, bool fresh, bool skipTlsVerify,
        LoginSession? login, CancellationToken ct)
    {
        if (credentials.RegistryToken.Length > 0) return credentials.RegistryToken;
        var realm = challenge.Parameter("realm") is { Length: > 0 } r && Uri.TryCreate(r, UriKind.Absolute, out var realmUri)
            ? realmUri
            : throw new RegistryAuthException("the registry's bearer challenge has no valid realm", unauthorized: false);
        var service = challenge.Parameter("service") ?? "";
        var key = (realm.ToString(), service, scope ?? "", credentials);
        if (login is null && !fresh && _cache.TryGetValue(key, out var cached) && cached.IsFresh(time.GetUtcNow())) return cached.Value;

        using var request = credentials.IdentityToken.Length > 0
            ? RefreshTokenRequest(realm, service, scope, credentials)
            : BasicRequest(realm, service, scope, credentials, offline: login is not null);
        using var response = await clientFor(realm, skipTlsVerify).SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw Refusal(response.StatusCode, body);
        TokenResponse? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, TokenJson.Default.TokenResponse);
        }
        catch (JsonException e)
        {
            throw new RegistryAuthException($"the token server sent an invalid answer: {e.Message}", unauthorized: false);
        }
        var token = parsed is null ? null : BearerToken.From(parsed, time.GetUtcNow());
        if (token is null) throw new RegistryAuthException("the token server's answer holds no token", unauthorized: false);
        if (login is not null && !string.IsNullOrEmpty(parsed!.RefreshToken)) login.RefreshToken = parsed.RefreshToken;
        ForgetExpired();
        _cache[key] = token;
        return token.Value;
    }

    private void ForgetExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (key, token) in _cache)
            if (!token.IsFresh(now)) _cache.TryRemove(key, out _);
    }

    private static HttpRequestMessage BasicRequest(Uri realm, string service, string? scope, RegistryCredentials credentials, bool offline)
    {
        var query = new List<string>();
        if (service.Length > 0) query.Add($"service={Uri.EscapeDataString(service)}");
        foreach (var s in Scopes(scope)) query.Add($"scope={Uri.EscapeDataString(s)}");
        if (credentials.Username.Length > 0) query.Add($"account={Uri.EscapeDataString(credentials.Username)}");
        query.Add($"client_id={ClientId}");
        if (offline && credentials.Username.Length > 0) query.Add("offline_token=true");
        var separator = realm.Query.Length > 0 ? "&" : "?";
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realm + separator + string.Join('&', query)));
        if (credentials.Username.Length > 0)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        return request;
    }

    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string service, string? scope, RegistryCredentials credentials)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", credentials.IdentityToken),
            new("service", service),
            new("client_id", ClientId),
        };
        if (Scopes(scope).ToList() is { Count: > 0 } scopes) form.Add(new("scope", string.Join(' ', scopes)));
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static IEnumerable<string> Scopes(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>As the distribution client words a token server's refusal: <c>unauthorized: DETAILS</c>.</summary>
    private static RegistryAuthException Refusal(HttpStatusCode status, byte[] body)
    {
        var detail = RegistryError.Parse(body)?.ToString() ?? Details(body);
        if (status == HttpStatusCode.Unauthorized)
            return new RegistryAuthException(detail is null ? "unauthorized: authentication required" : detail.StartsWith("unauthorized", StringComparison.Ordinal) ? detail : $"unauthorized: {detail}", unauthorized: true);
        return new RegistryAuthException($"the token server answered {(int)status} {status}{(detail is null ? "" : $": {detail}")}", unauthorized: status == HttpStatusCode.Forbidden);
    }

    private static string? Details(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.String
                ? details.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
