namespace Berth.Images.Registry.Auth;

/// <summary>
/// Marks a request as <c>docker login</c>'s: token servers are asked for an offline (refresh) token,
/// which, if one comes, the client keeps as its identity token, as dockerd's loginV2 does.
/// </summary>
internal sealed class LoginSession
{
    public static readonly HttpRequestOptionsKey<LoginSession> Key = new("berth.registry.login");

    public string? RefreshToken { get; set; }
}
