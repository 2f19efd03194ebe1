namespace Berth.Images.Registry.Auth;

/// <summary>
/// Authentication could not be done (no credentials for a Basic challenge, a token server's refusal).
/// An <see cref="HttpRequestException"/>, so it surfaces as dockerd words transport errors:
/// <c>Get "URL": no basic auth credentials</c>.
/// </summary>
internal sealed class RegistryAuthException(string message, bool unauthorized) : HttpRequestException(message)
{
    /// <summary>The registry or its token server refused the credentials (rather than none being given).</summary>
    public bool Unauthorized { get; } = unauthorized;
}
