using System.Text.Json;

namespace Berth.Images.Registry;

/// <summary>Reads a registry's error body (<c>{"errors":[{"code","message"}]}</c>) the way dockerd prints it: <c>manifest unknown: manifest unknown</c>.</summary>
internal static class RegistryErrors
{
    public static string Describe(ReadOnlySpan<byte> body, string fallback)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
                var message = first.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                return $"{code.ToLowerInvariant().Replace('_', ' ')}: {message}";
            }
        }
        catch (JsonException)
        {
        }
        return fallback;
    }
}
