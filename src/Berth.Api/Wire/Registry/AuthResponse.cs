namespace Berth.Api.Wire.Registry;

/// <summary><c>POST /auth</c>'s answer (keys in dockerd's order).</summary>
public sealed class AuthResponse
{
    public string IdentityToken { get; init; } = "";
    public required string Status { get; init; }
}
