using Berth.Api.Errors;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    /// <summary>
    /// ADD's URL sources, downloaded into a temporary directory that then serves as the copy's
    /// source root: each file named after the URL's last path element, mode 0600 and the server's
    /// Last-Modified time, as dockerd stores them.
    /// </summary>
    private async Task<string> DownloadAsync(IReadOnlyList<string> urls, CancellationToken ct)
    {
        var root = Path.Combine(tempRoot, "build-download-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        try
        {
            foreach (var url in urls)
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    throw BerthException.InvalidParameter($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
                }
                var path = Path.Combine(root, UrlFileName(url));
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None))
                    await response.Content.CopyToAsync(file, ct).ConfigureAwait(false);
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
            }
            return root;
        }
        catch (HttpRequestException e)
        {
            Directory.Delete(root, recursive: true);
            throw BerthException.InvalidParameter(e.Message);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>The name a downloaded file gets: the URL path's last element.</summary>
    private static string UrlFileName(string url)
    {
        var path = new Uri(url).AbsolutePath;
        var name = Uri.UnescapeDataString(path.TrimEnd('/').Split('/')[^1]);
        if (name.Length == 0 || name is "." or "..")
            throw BerthException.InvalidParameter($"cannot determine filename from url: {url}");
        return name;
    }
}
