using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Images.Registry.Auth;

/// <summary>
/// Authenticates every request to one registry host that carries credentials in its options
/// (<see cref="CredentialsKey"/>; anonymous ones too). It learns the host's challenge from the
/// first 401 (a <c>/v2/</c> ping's, say), answers it, and resends the request once; once the
/// challenge is known, later requests are authorised up front (cached bearer tokens, per scope),
/// so a request with a body that cannot be replayed, as a push sends, is normally sent once.
/// </summary>
internal sealed class RegistryAuthHandler(TokenClient tokens, bool skipTlsVerify) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<RegistryCredentials> CredentialsKey = new("berth.registry.credentials");

    private AuthChallenge? _challenge;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!request.Options.TryGetValue(CredentialsKey, out var credentials))
        {
            var plain = await base.SendAsync(request, ct).ConfigureAwait(false);
            Learn(plain);
            return plain;
        }

        var scope = RegistryScope.For(request);
        var known = Volatile.Read(ref _challenge);
        var authorisedUpFront = known is not null && request.Headers.Authorization is null
            && await TryAuthoriseAsync(request, known, credentials, scope, fresh: false, ct).ConfigureAwait(false);

        var response = await base.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = Learn(response);
        if (challenge is null) return response;
        // A Basic answer that was refused will be refused again; a bearer token may just have lacked the scope.
        if (authorisedUpFront && challenge.IsBasic) return response;
        if (challenge.IsBasic && credentials.Username.Length == 0)
        {
            response.Dispose();
            throw new RegistryAuthException("no basic auth credentials", unauthorized: false);
        }

        if (!await TryAuthoriseAsync(request, challenge, credentials, challenge.Parameter("scope") ?? scope, fresh: authorisedUpFront, ct).ConfigureAwait(false))
            return response;
        response.Dispose();
        return await base.SendAsync(request, ct).ConfigureAwait(false);
    }

    private AuthChallenge? Learn(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized) return null;
        var challenge = AuthChallenge.From(response.Headers);
        if (challenge is not null) Volatile.Write(ref _challenge, challenge);
        return challenge;
    }

    private async Task<bool> TryAuthoriseAsync(HttpRequestMessage request, AuthChallenge challenge, RegistryCredentials credentials, string? scope,
        bool fresh, CancellationToken ct)
    {
        if (challenge.IsBasic)
        {
            if (credentials.Username.Length == 0) return false;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
            return true;
        }
        if (!challenge.IsBearer) return false;
        var token = await tokens.GetAsync(challenge, scope, credentials, fresh, skipTlsVerify,
            request.Options.TryGetValue(LoginSession.Key, out var login) ? login : null, ct).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return true;
    }
}
