using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Http;

public delegate Task ApiHandler(ApiContext context);

/// <summary>
/// Matches Docker's routes, which ASP.NET templates cannot express: image names carry slashes
/// in the middle of a path (<c>/images/localhost:5000/app/json</c>). <c>{name}</c> matches one
/// segment, <c>{name*}</c> one or more. Routes are tried in the order they were added.
/// </summary>
public sealed class ApiRouter
{
    private readonly List<(string Method, Regex Pattern, ApiHandler Handler)> _routes = [];

    public void Get(string template, ApiHandler handler) => Add("GET", template, handler);
    public void Head(string template, ApiHandler handler) => Add("HEAD", template, handler);
    public void Post(string template, ApiHandler handler) => Add("POST", template, handler);
    public void Put(string template, ApiHandler handler) => Add("PUT", template, handler);
    public void Delete(string template, ApiHandler handler) => Add("DELETE", template, handler);

    public void Add(string method, string template, ApiHandler handler)
    {
        var pattern = Regex.Replace(Regex.Escape(template), @"\\\{(\w+)((?:\\\*)?)}", m =>
            m.Groups[2].Length > 0 ? $"(?<{m.Groups[1].Value}>.+)" : $"(?<{m.Groups[1].Value}>[^/]+)");
        _routes.Add((method, new Regex($"^{pattern}$", RegexOptions.CultureInvariant | RegexOptions.Compiled), handler));
    }

    /// <summary>Finds the handler for a method and a path without version prefix; null when none matches.</summary>
    public (ApiHandler Handler, Dictionary<string, string> Values)? Match(string method, string path)
    {
        foreach (var (m, pattern, handler) in _routes)
        {
            if (m != method) continue;
            var match = pattern.Match(path);
            if (!match.Success) continue;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in pattern.GetGroupNames())
                if (!int.TryParse(name, out _)) values[name] = match.Groups[name].Value;
            return (handler, values);
        }
        return null;
    }

    /// <summary>Splits <c>/v1.41/images/json</c> into the version and the rest; unversioned paths get the current version.</summary>
    public static (ApiVersion Version, string Path)? SplitVersion(string path)
    {
        var match = VersionPrefix.Match(path);
        if (!match.Success) return (ApiVersion.Current, path);
        if (!ApiVersion.TryParse(match.Groups[1].Value, out var version)) return null;
        if (version < ApiVersion.Minimum)
            throw BerthException.InvalidParameter($"client version {version} is too old. Minimum supported API version is {ApiVersion.Minimum}, please upgrade your client to a newer version");
        if (version > ApiVersion.Current)
            throw BerthException.InvalidParameter($"client version {version} is too new. Maximum supported API version is {ApiVersion.Current}");
        return (version, match.Groups[2].Value);
    }

    private static readonly Regex VersionPrefix = new(@"^/v([0-9.]+)(/.*)$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
