using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Images.Store;

namespace Berth.Engine.Containers;

/// <summary>The <c>docker ps --filter</c> keys dockerd knows, with its messages for bad ones.</summary>
public sealed class ContainerFilter
{
    private static readonly string[] StatusNames = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];
    private readonly FilterArgs filters;
    private readonly HashSet<string> exited;

    private ContainerFilter(FilterArgs filters, HashSet<string> exited, string? before, string? since)
    {
        this.filters = filters;
        this.exited = exited;
        Window = (before, since);
    }

    public bool HasStatusFilter => filters.Contains("status") || filters.Contains("exited");

    /// <summary>The IDs named by <c>before</c> and <c>since</c>.</summary>
    public (string? Before, string? Since) Window { get; }

    public static ContainerFilter Create(FilterArgs filters, ContainerStore store)
    {
        filters.Validate("ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label", "name", "network", "publish", "since", "status", "volume");
        foreach (var status in filters.Get("status"))
            if (!StatusNames.Contains(status))
                throw BerthException.InvalidParameter($"Invalid filter 'status={status}'");
        foreach (var health in filters.Get("health"))
            if (health is not ("starting" or "healthy" or "unhealthy" or "none"))
                throw BerthException.InvalidParameter($"Unrecognised filter value for health: {health}");
        var exited = new HashSet<string>();
        foreach (var code in filters.Get("exited"))
        {
            if (!int.TryParse(code, out _)) throw BerthException.InvalidParameter($"invalid filter 'exited={code}'");
            exited.Add(code);
        }
        string? Resolve(string key) => filters.Get(key).Select(v => store.Get(v).Id).LastOrDefault();
        return new ContainerFilter(filters, exited, Resolve("before"), Resolve("since"));
    }

    public bool Matches(Container container, ImageStore images)
    {
        var r = container.Record;
        if (filters.Contains("id") && !filters.Get("id").Any(id => r.Id.StartsWith(id, StringComparison.Ordinal))) return false;
        if (filters.Contains("name") && !filters.Get("name").Any(n => MatchesName(r.Name, n))) return false;
        if (!filters.MatchKeyValues("label", r.Config.Labels)) return false;
        if (filters.Contains("status") && !filters.Get("status").Contains(ContainerEngine.StatusName(r.Status))) return false;
        if (exited.Count > 0 && (r.Status != ContainerStatus.Exited || !exited.Contains(r.ExitCode.ToString()))) return false;
        if (filters.Contains("health") && !filters.Get("health").Contains(ContainerEngine.HealthFilterValue(r))) return false;
        if (filters.Contains("ancestor") && !filters.Get("ancestor").Any(a => IsAncestor(a, r, images))) return false;
        if (filters.Contains("network") && !filters.Get("network").Any(n => r.Networks.ContainsKey(n) || r.Networks.Values.Any(e => e.NetworkID.Length > 0 && e.NetworkID.StartsWith(n, StringComparison.Ordinal)))) return false;
        // As dockerd: a volume's name, or the mount's destination in the container.
        if (filters.Contains("volume") && !filters.Get("volume").Any(v => r.MountPoints.Any(p => p.Name == v || p.Destination == v))) return false;
        return true;
    }

    /// <summary>dockerd matches names as regular expressions against the name with its slash.</summary>
    private static bool MatchesName(string name, string pattern)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch(name, pattern) || System.Text.RegularExpressions.Regex.IsMatch(name.TrimStart('/'), pattern);
        }
        catch (ArgumentException)
        {
            return name.Contains(pattern, StringComparison.Ordinal);
        }
    }

    private static bool IsAncestor(string reference, ContainerRecord r, ImageStore images)
    {
        ImageRecord? image;
        try
        {
            image = images.Find(reference, out _);
        }
        catch (BerthException)
        {
            return false;
        }
        if (image is null) return false;
        // The container's image or any image it was built from.
        for (var current = images.Get(Images.Digests.Digest.Parse(r.ImageId)); current is not null;)
        {
            if (current.Id == image.Id) return true;
            current = current.Metadata.Parent is { } parent ? images.Get(Images.Digests.Digest.Parse(parent)) : null;
        }
        return false;
    }
}
