namespace Berth.Images.Registry.Auth;

/// <summary>
/// The token scope a distribution API request needs, read from its URL and method as the Docker
/// client asks for it: <c>repository:NAME:pull</c> to read, <c>repository:NAME:pull,push</c> to write.
/// </summary>
internal static class RegistryScope
{
    private static readonly string[] Sections = ["/manifests/", "/blobs/", "/tags/", "/referrers/"];

    /// <summary>Null for requests outside a repository, such as the <c>/v2/</c> ping.</summary>
    public static string? For(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        var start = path.IndexOf("/v2/", StringComparison.Ordinal);
        if (start < 0) return null;
        var rest = path[(start + "/v2/".Length)..];
        var end = Sections.Select(s => rest.LastIndexOf(s, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(-1).Max();
        if (end <= 0) return null;
        var name = Uri.UnescapeDataString(rest[..end]);
        var read = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        return $"repository:{name}:{(read ? "pull" : "pull,push")}";
    }
}
