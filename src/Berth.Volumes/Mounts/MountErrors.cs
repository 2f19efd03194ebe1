using Berth.Api.Errors;

namespace Berth.Volumes.Mounts;

/// <summary>dockerd's wording for mount requests it refuses; all of them are the client's fault (400).</summary>
internal static class MountErrors
{
    public static BerthException InvalidSpec(string spec) => Invalid(InvalidSpecText(spec));

    public static string InvalidSpecText(string spec) => $"invalid volume specification: '{spec}'";

    public static BerthException InvalidMode(string mode) => Invalid($"invalid mode: {mode}");

    /// <summary>moby's <c>errMountConfig</c>: the problem with one mount, prefixed with its type.</summary>
    public static string MountConfigText(string type, string problem) =>
        $"invalid mount config for type {GoQuote.Quote(type)}: {problem}";

    public static string MissingField(string name) => $"field {name} must not be empty";

    public static string ExtraField(string name) => $"field {name} must not be specified";

    public static BerthException DuplicateMountPoint(string target) => Invalid($"Duplicate mount point: {target}");

    public static BerthException Invalid(string message) => BerthException.InvalidParameter(message);
}
