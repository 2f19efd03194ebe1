using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.References;

namespace Berth.Images.Registry;

internal sealed partial class RegistryClient
{
    private const long MaxTagPageBytes = 4 * 1024 * 1024;

    /// <summary>Every tag of the repository, following the registry's <c>Link: &lt;…&gt;; rel="next"</c> pages.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(RegistryRepository repository, ImageReference reference, CancellationToken ct)
    {
        var tags = new List<string>();
        Uri? page = repository.TagsUri();
        while (page is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, page);
            using var response = await SendAsync(request, ct).ConfigureAwait(false);
            var bytes = await ReadLimitedAsync(response.Content, MaxTagPageBytes, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw RegistryFailures.ForManifest(reference, response.StatusCode, RegistryError.Parse(bytes));
            try
            {
                tags.AddRange(JsonSerializer.Deserialize(bytes, RegistryJson.Default.TagList)?.Tags ?? []);
            }
            catch (JsonException e)
            {
                throw BerthException.System($"invalid tag list from {page}: {e.Message}", e);
            }
            page = NextPage(page, response);
        }
        return tags;
    }

    /// <summary>The target of a <c>rel="next"</c> Link header, resolved against the page that named it.</summary>
    internal static Uri? NextPage(Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0].StartsWith('<') && parts[0].EndsWith('>') && parts.Skip(1).Any(p => p.Replace(" ", "") is "rel=\"next\"" or "rel=next"))
                return new Uri(current, parts[0][1..^1]);
        }
        return null;
    }
}
