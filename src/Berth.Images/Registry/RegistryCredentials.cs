using System.Text;
using System.Text.Json;

namespace Berth.Images.Registry;

/// <summary>
/// What a client gave to log in to a registry: the Engine API's AuthConfig, as it arrives
/// base64url-encoded in <c>X-Registry-Auth</c> or as the body of <c>POST /auth</c>.
/// </summary>
public sealed record RegistryCredentials
{
    public static readonly RegistryCredentials Anonymous = new();

    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public string ServerAddress { get; init; } = "";
    /// <summary>An OAuth refresh token a token server gave at login, used instead of the password.</summary>
    public string IdentityToken { get; init; } = "";
    /// <summary>A bearer token sent as it is, without asking a token server.</summary>
    public string RegistryToken { get; init; } = "";

    public bool IsAnonymous => Username.Length == 0 && IdentityToken.Length == 0 && RegistryToken.Length == 0;

    /// <summary>
    /// The <c>X-Registry-Auth</c> header. As dockerd does for pulls, a missing or undecodable
    /// header means no credentials rather than an error.
    /// </summary>
    public static RegistryCredentials FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return Anonymous;
        try
        {
            return FromJson(DecodeBase64Url(header));
        }
        catch (FormatException)
        {
            return Anonymous;
        }
        catch (JsonException)
        {
            return Anonymous;
        }
    }

    /// <summary>An AuthConfig object; the legacy <c>auth</c> field (base64 of <c>user:password</c>) fills a missing username and password.</summary>
    public static RegistryCredentials FromJson(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object) return Anonymous;
        string Field(string name)
        {
            foreach (var property in document.RootElement.EnumerateObject())
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                    return property.Value.GetString()!;
            return "";
        }
        var credentials = new RegistryCredentials
        {
            Username = Field("username"),
            Password = Field("password"),
            ServerAddress = Field("serveraddress"),
            IdentityToken = Field("identitytoken"),
            RegistryToken = Field("registrytoken"),
        };
        if (credentials.Username.Length == 0 && Field("auth") is { Length: > 0 } auth && DecodeAuth(auth) is var (user, password))
            credentials = credentials with { Username = user, Password = password };
        return credentials;
    }

    /// <summary>The base64url the Docker clients send (padding optional); a <see cref="FormatException"/> when it is not.</summary>
    internal static byte[] DecodeBase64Url(string header)
    {
        var text = header.Trim().Replace('-', '+').Replace('_', '/').TrimEnd('=');
        return Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
    }

    private static (string, string)? DecodeAuth(string auth)
    {
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = pair.IndexOf(':');
            return colon > 0 ? (pair[..colon], pair[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Never prints the secrets.</summary>
    public override string ToString() => IsAnonymous ? "anonymous" : $"user {Username}";
}
