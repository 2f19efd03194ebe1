using System.Text.Json;

namespace Berth.Images.Registry;

/// <summary>
/// The first error of a registry's error body (<c>{"errors":[{"code","message"}]}</c>), printed as
/// Go's errcode prints it: <c>manifest unknown: manifest unknown</c>.
/// </summary>
internal sealed record RegistryError(string Code, string Message)
{
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string Denied = "DENIED";

    public override string ToString() => $"{Code.ToLowerInvariant().Replace('_', ' ')}: {Message}";

    public static RegistryError? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors)
                || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
                return null;
            var first = errors[0];
            var code = first.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            var message = first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            return code.Length == 0 ? null : new RegistryError(code, message);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
