using System.Net;
using System.Net.Http.Headers;
using Berth.Api.Errors;
using Berth.Images.Digests;

namespace Berth.Images.Registry;

/// <summary>The read side of the OCI distribution API, anonymously: manifests and blobs of one repository.</summary>
internal sealed class RegistryClient(HttpClient http)
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <param name="displayName">The reference as the user wrote it, for error messages.</param>
    public async Task<FetchedManifest> GetManifestAsync(RegistryRepository repository, string tagOrDigest, string displayName, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.ManifestUri(tagOrDigest));
        foreach (var type in RegistryMediaTypes.ManifestAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, MaxManifestBytes, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw BerthException.NotFound($"manifest for {displayName} not found: {RegistryErrors.Describe(bytes, "manifest unknown: manifest unknown")}");
        ThrowIfFailed(response, bytes, displayName);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var digest = Digest.Sha256(bytes);
        if (Digest.TryParse(tagOrDigest, out var expected))
            DigestMismatchException.ThrowIfDifferent($"manifest {displayName}", expected, digest);
        return new FetchedManifest(bytes, digest, mediaType);
    }

    /// <summary>A small blob (an image configuration), read whole and checked against its digest.</summary>
    public async Task<byte[]> GetSmallBlobAsync(RegistryRepository repository, Digest digest, long maxBytes, CancellationToken ct)
    {
        using var response = await GetBlobAsync(repository, digest, ct).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, maxBytes, ct).ConfigureAwait(false);
        DigestMismatchException.ThrowIfDifferent($"blob {digest}", digest, Digest.Sha256(bytes));
        return bytes;
    }

    /// <summary>Starts a blob download; the response (with its body unread) is the caller's to dispose.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(RegistryRepository repository, Digest digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.BlobUri(digest));
        var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var bytes = await ReadLimitedAsync(response.Content, 64 * 1024, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw BerthException.NotFound($"blob {digest} not found: {RegistryErrors.Describe(bytes, "blob unknown: blob unknown to registry")}");
            ThrowIfFailed(response, bytes, $"blob {digest}");
            return response;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // As dockerd words a registry it cannot reach: Get "https://registry-1.docker.io/v2/...": <cause>.
            throw BerthException.System($"Get \"{request.RequestUri}\": {e.Message}", e);
        }
    }

    private static void ThrowIfFailed(HttpResponseMessage response, byte[] body, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = RegistryErrors.Describe(body, $"unexpected status {(int)response.StatusCode}");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw BerthException.Forbidden($"pull access denied for {what}: {detail} (registry authentication is not supported yet)");
        throw BerthException.System($"error from registry for {what}: {detail}");
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength > maxBytes) throw BerthException.System($"registry response is larger than {maxBytes} bytes");
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > maxBytes) throw BerthException.System($"registry response is larger than {maxBytes} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
