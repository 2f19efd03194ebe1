using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Api.Errors;

namespace Berth.Images.Registry;

/// <summary>A registry's refusal during a push, in the words dockerd's distribution client uses.</summary>
internal static class PushFailures
{
    /// <summary>
    /// The first error of the body (<c>denied: requested access to the resource is denied</c>); a body that
    /// is not a registry error is quoted as Go's client quotes it:
    /// <c>error parsing HTTP 405 response body: invalid character 'M' looking for beginning of value: "Method not allowed\n"</c>.
    /// </summary>
    public static BerthException ForStatus(HttpStatusCode status, byte[] body)
    {
        if (RegistryError.Parse(body) is { } error) return BerthException.System(error.ToString());
        if (status == HttpStatusCode.Unauthorized) return BerthException.System("unauthorized: authentication required");
        var text = Encoding.UTF8.GetString(body);
        var reason = text.TrimStart() is { Length: > 0 } trimmed
            ? $"invalid character '{trimmed[0]}' looking for beginning of value"
            : "unexpected end of JSON input";
        var quoted = JsonSerializer.Serialize(text, RegistryJson.Relaxed.String);
        return BerthException.System($"error parsing HTTP {(int)status} response body: {reason}: {quoted}");
    }

    public static BerthException MissingLocation() => BerthException.System("the registry did not say where to upload the blob (no Location header)");
}
