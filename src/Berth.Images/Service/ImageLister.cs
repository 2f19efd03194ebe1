using Berth.Api;
using Berth.Api.Filters;
using Berth.Api.Wire.Images;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Service;

/// <summary><c>GET /images/json</c>: the images, filtered and shaped as dockerd lists them for the client's API version.</summary>
internal sealed class ImageLister(ImageStore store)
{
    private static readonly string[] AcceptedFilters = ["dangling", "label", "before", "since", "reference", "until"];

    public List<ImageSummary> List(bool all, FilterArgs filters, ApiVersion version)
    {
        filters.Validate(AcceptedFilters);
        var danglingOnly = filters.GetBool("dangling", false) && filters.Contains("dangling");
        var danglingExcluded = filters.Contains("dangling") && !filters.GetBool("dangling", false);
        var before = filters.Get("before").Select(v => store.Resolve(v).Created).Min();
        var since = filters.Get("since").Select(v => store.Resolve(v).Created).Max();
        var untilValues = filters.Get("until").Select(v => Timestamps.Parse(v, DateTimeOffset.UtcNow)).ToList();
        DateTimeOffset? until = untilValues.Count > 0 ? untilValues.Min() : null;

        var images = store.All;
        var result = new List<(ImageSummary Summary, DateTimeOffset Created)>();
        foreach (var image in images)
        {
            var created = image.Created ?? DateTimeOffset.UnixEpoch;
            if (before is { } b && created >= b) continue;
            if (since is { } s && created <= s) continue;
            if (until is { } u && created >= u) continue;
            if (filters.Contains("label") && !filters.MatchKeyValues("label", image.Config.Config?.Labels)) continue;
            var hasChildren = store.Children(image.Id).Count > 0;
            if (!all && hasChildren && store.References.ReferencesTo(image.Id).Count == 0) continue;

            var tags = new List<string>();
            var digests = new List<string>();
            foreach (var reference in store.References.ReferencesTo(image.Id))
            {
                if (filters.Contains("reference") && !filters.Get("reference").Any(p => Matches(p, reference))) continue;
                if (reference.Digest is not null) digests.Add(reference.FamiliarString);
                if (reference.Tag is not null) tags.Add(reference.FamiliarString);
            }
            var untagged = tags.Count == 0 && digests.Count == 0;
            if (untagged)
            {
                if (!all && hasChildren) continue;
                if (danglingExcluded || filters.Contains("reference")) continue;
            }
            else if (danglingOnly && tags.Count > 0)
            {
                continue;
            }

            var size = store.Size(image);
            var useNone = version < new ApiVersion(1, 43);
            result.Add((new ImageSummary
            {
                Id = image.Id.ToString(),
                ParentId = image.Parent?.ToString() ?? "",
                RepoTags = useNone && untagged ? ["<none>:<none>"] : tags,
                RepoDigests = useNone && untagged ? ["<none>@<none>"] : useNone && digests.Count == 0 ? null : digests,
                Created = created.ToUnixTimeSeconds(),
                Size = size,
                VirtualSize = version < new ApiVersion(1, 44) ? size : null,
                Labels = image.Config.Config?.Labels,
            }, created));
        }
        return result.OrderByDescending(r => r.Created).ThenBy(r => r.Summary.Id, StringComparer.Ordinal).Select(r => r.Summary).ToList();
    }

    /// <summary>Docker's reference filter: a shell pattern against <c>name:tag</c>, or against the name alone.</summary>
    private static bool Matches(string pattern, ImageReference reference)
    {
        try
        {
            return GoPathMatch.IsMatch(pattern, reference.FamiliarString) || GoPathMatch.IsMatch(pattern, reference.FamiliarName);
        }
        catch (ArgumentException e)
        {
            throw Api.Errors.BerthException.InvalidParameter(e.Message);
        }
    }
}
