using System.Text.Json.Serialization;

namespace Berth.Images.Registry.Auth;

/// <summary>A token server's answer (<c>token</c> or the OAuth <c>access_token</c>, with its lifetime).</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
    [JsonPropertyName("issued_at")] public DateTimeOffset? IssuedAt { get; set; }
    /// <summary>Given at login when asked for (<c>offline_token=true</c>): the identity token the client keeps instead of the password.</summary>
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
}

[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class TokenJson : JsonSerializerContext;

/// <summary>A bearer token and when it stops being good.</summary>
internal sealed record BearerToken(string Value, DateTimeOffset Expires)
{
    /// <summary>The token specification's minimum: a token without <c>expires_in</c> lasts 60 seconds.</summary>
    public const int MinimumLifetimeSeconds = 60;

    public bool IsFresh(DateTimeOffset now) => now < Expires - TimeSpan.FromSeconds(5);

    public static BearerToken? From(TokenResponse response, DateTimeOffset now)
    {
        var value = string.IsNullOrEmpty(response.Token) ? response.AccessToken : response.Token;
        if (string.IsNullOrEmpty(value)) return null;
        var lifetime = Math.Max(response.ExpiresIn, MinimumLifetimeSeconds);
        var issued = response.IssuedAt is { } at && at <= now ? at : now;
        return new BearerToken(value, issued + TimeSpan.FromSeconds(lifetime));
    }
}
