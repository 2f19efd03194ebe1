using Berth.Api.Wire.Registry;
using Berth.Images.Registry.Transport;

namespace Berth.Images.Registry;

/// <summary>The Engine API's registry endpoints besides pull: <c>POST /auth</c> and <c>GET /distribution/{name}/json</c>.</summary>
public sealed class RegistryService(RegistryTransport transport)
{
    private readonly RegistryLogin _login = new(transport);
    private readonly DistributionInspector _inspector = new(transport);

    /// <summary>
    /// Checks the credentials against their registry; dockerd keeps nothing, the client stores them
    /// (the identity token instead of the password, when a token server gave one).
    /// </summary>
    public async Task<AuthResponse> LoginAsync(RegistryCredentials credentials, CancellationToken ct)
    {
        var identityToken = await _login.LoginAsync(credentials, ct).ConfigureAwait(false);
        return new AuthResponse { IdentityToken = identityToken, Status = "Login Succeeded" };
    }

    public Task<DistributionInspect> InspectDistributionAsync(string name, RegistryCredentials credentials, CancellationToken ct) =>
        _inspector.InspectAsync(name, credentials, ct);
}
