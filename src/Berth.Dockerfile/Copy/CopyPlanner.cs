using Berth.Api;
using Berth.Api.Errors;

namespace Berth.Dockerfile;

/// <summary>
/// dockerd 20.10's classic-builder rules for COPY and ADD sources: paths are relative to the context (a leading <c>/</c> or
/// <c>./</c> is dropped), may not climb out of it, follow symlinks inside it, expand wildcards with Go's filepath.Match
/// over the whole context, and must exist (what .dockerignore excludes does not); several sources need a destination
/// ending in <c>/</c>. The checksum is the one dockerd shows in history (<c>file:</c>, <c>dir:</c> or <c>multi:</c>).
/// </summary>
public static class CopyPlanner
{
    /// <summary>
    /// Checks every source and computes the cache checksum without writing anything. Errors are dockerd's, e.g.
    /// <c>COPY failed: file not found in build context or excluded by .dockerignore: stat x: file does not exist</c>.
    /// </summary>
    public static async Task<CopyPlan> PlanAsync(CopyRequest request, CancellationToken ct)
    {
        var context = new BuildContext(request.SourceRoot, request.Ignore);
        var checksums = new ContextChecksums(context, request.FromImage);
        var sources = new List<CopySource>();
        foreach (var source in request.Sources)
        {
            if (GoFilepathMatch.HasWildcards(source))
            {
                var pattern = Normalize(source);
                foreach (var (relative, _) in context.Walk(".").ToList())
                    if (GoFilepathMatch.IsMatch(pattern, relative))
                        sources.Add(await SourceAsync(context, checksums, relative, request, ct).ConfigureAwait(false));
            }
            else
            {
                sources.Add(await SourceAsync(context, checksums, Normalize(source), request, ct).ConfigureAwait(false));
            }
        }
        if (sources.Count == 0) throw BerthException.InvalidParameter($"{request.CommandName} failed: no source files were specified");
        if (sources.Count > 1 && !request.Destination.EndsWith('/'))
            throw BerthException.InvalidParameter(
                $"When using {request.CommandName} with more than one source file, the destination must be a directory and end with a /");
        var checksum = sources.Count == 1
            ? sources[0].Checksum
            : "multi:" + ContextChecksums.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(string.Join(',', sources.Select(s => s.Checksum))));
        return new CopyPlan(request, context, sources, checksum);
    }

    /// <summary>dockerd's destination: relative to the working directory (default <c>/</c>), keeping a trailing slash.</summary>
    public static string NormalizeDestination(string? workingDir, string requested)
    {
        if (requested.StartsWith('/')) return requested;
        var joined = GoPath.Clean("/" + (workingDir ?? "") + "/" + requested);
        return requested.EndsWith('/') && joined != "/" ? joined + "/" : joined;
    }

    private static string Normalize(string source)
    {
        if (source.Length > 1 && source[0] == '/') source = source[1..];
        return source.StartsWith("./", StringComparison.Ordinal) ? source[2..] : source;
    }

    private static async Task<CopySource> SourceAsync(BuildContext context, ContextChecksums checksums, string path, CopyRequest request, CancellationToken ct)
    {
        var command = request.CommandName;
        var resolved = context.Resolve(path)
                       ?? throw BerthException.InvalidParameter($"{command} failed: forbidden path outside the build context: {path} ()");
        var status = context.Present(GoPath.Clean(path)) is null ? null : context.Present(resolved);
        if (status is null)
            throw BerthException.InvalidParameter(request.FromImage
                ? $"{command} failed: stat {path}: file does not exist"
                : $"{command} failed: file not found in build context or excluded by .dockerignore: stat {path}: file does not exist");
        var checksum = await checksums.OfSourceAsync(resolved, status.Value, ct).ConfigureAwait(false);
        return new CopySource(resolved, GoPath.Base(path), status.Value, checksum);
    }
}
