using System.Text.Json;
using Berth.Api.Errors;

namespace Berth.Images.Registry;

/// <summary>
/// The credentials of a push, as dockerd takes them: the <c>X-Registry-Auth</c> header (one that
/// does not decode counts as none), or without it the request body as an AuthConfig object, the
/// API's older form that docker-py still uses (it sends <c>{}</c>). Neither is a 400.
/// </summary>
public static class PushCredentials
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<RegistryCredentials> ReadAsync(string? header, Stream body, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(header)) return RegistryCredentials.FromHeader(header);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxBodyBytes) throw Missing("request body is larger than 64 KB");
            buffer.Write(chunk, 0, n);
        }
        // Go's decoder says EOF for a body with no JSON value in it.
        if (buffer.ToArray().All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) throw Missing("EOF");
        try
        {
            return RegistryCredentials.FromJson(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw Missing(e.Message);
        }
    }

    private static BerthException Missing(string cause) => BerthException.InvalidParameter($"Bad parameters and missing X-Registry-Auth: {cause}");
}
