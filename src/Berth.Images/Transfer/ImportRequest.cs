namespace Berth.Images.Transfer;

/// <summary>What <c>docker import</c> asks for: where the tarball is, what to call the image and how to configure it.</summary>
/// <param name="Source"><c>-</c> for the request body, or a URL the daemon downloads.</param>
public sealed record ImportRequest(
    string Source,
    string? Repository,
    string? Tag,
    string? Message,
    IReadOnlyList<string> Changes,
    string? Platform);
