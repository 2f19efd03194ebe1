using System.Text.RegularExpressions;
using Berth.Api.Errors;
using Berth.Images.Digests;

namespace Berth.Images.References;

/// <summary>
/// A normalized image reference, <c>domain/path[:tag][@digest]</c>, parsed with Docker's grammar
/// and defaults: <c>busybox</c> is <c>docker.io/library/busybox</c>. Parse errors carry the
/// wording of Docker's reference package, which clients show to users.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int NameMaxLength = 255;

    private ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    public string Domain { get; }
    public string Path { get; }
    public string? Tag { get; }
    public Digest? Digest { get; }

    /// <summary>The repository: <c>docker.io/library/busybox</c>.</summary>
    public string Name => $"{Domain}/{Path}";

    /// <summary>The repository as users write it: <c>busybox</c>, <c>localhost:5000/app</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return Name;
            return Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0
                ? Path[OfficialRepoPrefix.Length..]
                : Path;
        }
    }

    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>This repository with <paramref name="tag"/>; a tag outside Docker's grammar is refused with dockerd's "invalid tag format".</summary>
    public ImageReference WithTag(string tag) =>
        AnchoredTag().IsMatch(tag) ? new(Domain, Path, tag, null) : throw BerthException.InvalidParameter("invalid tag format");

    public ImageReference WithDigest(Digest digest) => new(Domain, Path, null, digest);

    public ImageReference NameOnly() => new(Domain, Path, null, null);

    /// <summary>Adds <c>:latest</c> to a bare name, as Docker does before every lookup.</summary>
    public ImageReference WithDefaultTag() => IsNameOnly ? WithTag(DefaultTag) : this;

    public string FamiliarString => Suffix(FamiliarName);

    public override string ToString() => Suffix(Name);

    private string Suffix(string name) =>
        name + (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    /// <summary>Parses what a user typed, applying Docker's defaults (domain, library/ prefix).</summary>
    public static ImageReference ParseNormalized(string text)
    {
        if (AnchoredHexId().IsMatch(text))
            throw BerthException.InvalidParameter($"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings");
        var (domain, remainder) = SplitDomain(text);
        var nameEnd = remainder.IndexOf(':');
        var namePart = nameEnd < 0 ? remainder : remainder[..nameEnd];
        if (namePart.ToLowerInvariant() != namePart)
            throw BerthException.InvalidParameter("invalid reference format: repository name must be lowercase");
        return Parse($"{domain}/{remainder}");
    }

    public static bool TryParseNormalized(string text, out ImageReference? reference)
    {
        try
        {
            reference = ParseNormalized(text);
            return true;
        }
        catch (BerthException)
        {
            reference = null;
            return false;
        }
    }

    /// <summary>Parses a fully qualified reference; no defaults are applied.</summary>
    public static ImageReference Parse(string text)
    {
        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            if (text.Length == 0) throw BerthException.InvalidParameter("repository name must have at least one component");
            if (ReferencePattern().IsMatch(text.ToLowerInvariant()))
                throw BerthException.InvalidParameter("repository name must be lowercase");
            throw BerthException.InvalidParameter("invalid reference format");
        }
        var name = match.Groups["name"].Value;
        if (name.Length > NameMaxLength)
            throw BerthException.InvalidParameter($"repository name must not be more than {NameMaxLength} characters");
        var domainMatch = AnchoredNamePattern().Match(name);
        var domain = domainMatch.Groups["domain"].Value;
        var path = domainMatch.Groups["path"].Value;
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        Digest? digest = null;
        if (match.Groups["digest"].Success)
        {
            if (!Digests.Digest.TryParse(match.Groups["digest"].Value, out var d))
                throw BerthException.InvalidParameter("invalid reference format");
            digest = d;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static (string Domain, string Remainder) SplitDomain(string name)
    {
        string domain, remainder;
        var slash = name.IndexOf('/');
        if (slash < 0 || (name.AsSpan(0, slash).IndexOfAny('.', ':') < 0 && name[..slash] != "localhost"
                          && name[..slash].ToLowerInvariant() == name[..slash]))
        {
            domain = DefaultDomain;
            remainder = name;
        }
        else
        {
            domain = name[..slash];
            remainder = name[(slash + 1)..];
        }
        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && remainder.IndexOf('/') < 0) remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }

    /// <summary>True for a full 64-character hex image ID, which can never be a repository name.</summary>
    public static bool IsFullHexId(string text) => AnchoredHexId().IsMatch(text);

    private const string AlphaNumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = AlphaNumeric + "(?:" + Separator + AlphaNumeric + ")*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = "(?:" + DomainComponent + "(?:\\." + DomainComponent + ")*|\\[[a-fA-F0-9:]+\\])";
    private const string DomainAndPort = Host + "(?::[0-9]+)?";
    private const string RemoteName = PathComponent + "(?:/" + PathComponent + ")*";
    private const string NamePattern = "(?:" + DomainAndPort + "/)?" + RemoteName;
    private const string TagPattern = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private const string DigestPattern = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    [GeneratedRegex("^(?<name>" + NamePattern + ")(?::(?<tag>" + TagPattern + "))?(?:@(?<digest>" + DigestPattern + "))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^(?:(?<domain>" + DomainAndPort + ")/)?(?<path>" + RemoteName + ")$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredNamePattern();

    [GeneratedRegex("^" + TagPattern + "$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredTag();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredHexId();
}
