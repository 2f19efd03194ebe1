using Berth.Api.Wire;
using Berth.Images.Digests;
using Berth.Images.Store;

namespace Berth.Engine.Build;

/// <summary>
/// The classic builder's cache (dockerd's <c>LocalImageCache</c> behind its <c>imageProber</c>): a
/// step is cached when a child of the current image has, as <c>container_config</c>, the step's
/// configuration (its command, in the <c>#(nop)</c> form for metadata steps, environment, labels…).
/// After the first miss of a stage nothing more is looked up; <c>--no-cache</c> looks up nothing.
/// </summary>
public sealed class BuildCache(ImageStore images, bool disabled)
{
    private bool _busted;

    /// <summary>A new stage looks its steps up again.</summary>
    public void Reset() => _busted = false;

    public string? Probe(string? parentId, ContainerConfig stepConfig)
    {
        if (disabled || _busted) return null;
        var siblings = parentId is null
            ? images.All.Where(i => i.Parent is null)
            : images.Children(Digest.Parse(parentId));
        ImageRecord? match = null;
        foreach (var image in siblings)
        {
            if (!Same(image.Config.ContainerConfig, stepConfig)) continue;
            if (match is null || (image.Created ?? DateTimeOffset.MinValue) > (match.Created ?? DateTimeOffset.MinValue)) match = image;
        }
        if (match is null) _busted = true;
        return match?.Id.ToString();
    }

    /// <summary>dockerd's <c>compare</c>: the fields that decide a cache hit (not the working directory, user aside).</summary>
    public static bool Same(ContainerConfig? a, ContainerConfig? b)
    {
        if (a is null || b is null || a.OpenStdin || b.OpenStdin) return false;
        if (a.AttachStdout != b.AttachStdout || a.AttachStderr != b.AttachStderr || a.User != b.User || a.Tty != b.Tty) return false;
        if (!SameList(a.Cmd, b.Cmd) || !SameList(a.Env, b.Env) || !SameList(a.Entrypoint, b.Entrypoint)) return false;
        if ((a.Labels?.Count ?? 0) != (b.Labels?.Count ?? 0)) return false;
        foreach (var (k, v) in a.Labels ?? []) if (b.Labels is null || !b.Labels.TryGetValue(k, out var bv) || bv != v) return false;
        if (!SameKeys(a.ExposedPorts, b.ExposedPorts) || !SameKeys(a.Volumes, b.Volumes)) return false;
        return true;
    }

    private static bool SameList(List<string>? a, List<string>? b) => (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);

    private static bool SameKeys<T>(Dictionary<string, T>? a, Dictionary<string, T>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? []).Keys.All(k => b is not null && b.ContainsKey(k));
}
