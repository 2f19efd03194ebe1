using System.Net.Http.Headers;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>
/// The OCI distribution API as one client sees it: every request carries its credentials, which
/// the <see cref="Transport.RegistryTransport"/> client's handler chain answers challenges with.
/// </summary>
internal sealed partial class RegistryClient(HttpClient http, RegistryCredentials credentials)
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>Anonymous.</summary>
    public RegistryClient(HttpClient http) : this(http, RegistryCredentials.Anonymous)
    {
    }

    public RegistryCredentials Credentials => credentials;

    /// <summary>
    /// <c>GET /v2/</c>: null when the endpoint answers at all (even 401, whose challenge the
    /// transport learns), else the transport error, for falling back to the next endpoint.
    /// With <paramref name="authenticate"/> the credentials are offered and must be accepted (<c>docker login</c>).
    /// </summary>
    /// <param name="login">At <c>docker login</c>: collects the identity token a token server gives.</param>
    public async Task<PingResult> PingAsync(Uri baseUri, bool authenticate, CancellationToken ct, Auth.LoginSession? login = null)
    {
        var uri = new Uri(baseUri, "v2/");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (authenticate) request.Options.Set(Auth.RegistryAuthHandler.CredentialsKey, credentials);
        if (login is not null) request.Options.Set(Auth.LoginSession.Key, login);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            return new PingResult(uri, response.StatusCode, null);
        }
        catch (HttpRequestException e)
        {
            return new PingResult(uri, null, TransportFailure(request, e));
        }
    }

    /// <summary>The manifest <paramref name="reference"/> names by its tag or digest; one fetched by digest is checked against it.</summary>
    public async Task<FetchedManifest> GetManifestAsync(RegistryRepository repository, ImageReference reference, CancellationToken ct)
    {
        var tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.ManifestUri(tagOrDigest));
        foreach (var type in RegistryMediaTypes.ManifestAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, MaxManifestBytes, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw RegistryFailures.ForManifest(reference, response.StatusCode, RegistryError.Parse(bytes));
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var digest = Digest.Sha256(bytes);
        if (reference.Digest is { } expected)
            DigestMismatchException.ThrowIfDifferent($"manifest {reference.FamiliarString}", expected, digest);
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
    public Task<HttpResponseMessage> GetBlobAsync(RegistryRepository repository, Digest digest, CancellationToken ct) =>
        GetBlobAsync(repository, digest, offset: 0, ct);

    /// <summary>
    /// Starts a blob download from <paramref name="offset"/> on (a Range request): the answer is 206
    /// when the registry honoured the range, 200 with the whole blob when it did not.
    /// </summary>
    public async Task<HttpResponseMessage> GetBlobAsync(RegistryRepository repository, Digest digest, long offset, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.BlobUri(digest));
        if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
        var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var bytes = await ReadLimitedAsync(response.Content, 64 * 1024, ct).ConfigureAwait(false);
            throw RegistryFailures.ForBlob($"blob {digest}", response.StatusCode, RegistryError.Parse(bytes));
        }
    }

    /// <summary>
    /// Sends any request with this client's credentials, its headers read and its body not; a transport
    /// failure becomes dockerd's wording of it. For code that speaks parts of the API this class does not wrap.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Options.Set(Auth.RegistryAuthHandler.CredentialsKey, credentials);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw TransportFailure(request, e);
        }
    }

    /// <summary>As Go's url.Error words a request that failed below HTTP: <c>Get "https://host/v2/...": CAUSE</c>.</summary>
    private static BerthException TransportFailure(HttpRequestMessage request, HttpRequestException e)
    {
        var method = request.Method.Method[..1] + request.Method.Method[1..].ToLowerInvariant();
        var message = $"{method} \"{request.RequestUri}\": {Transport.TransportErrors.Describe(e, request.RequestUri)}";
        return e is Auth.RegistryAuthException { Unauthorized: true } ? BerthException.Unauthorized(message) : BerthException.System(message, e);
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
