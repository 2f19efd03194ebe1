namespace Berth.Engine.Build;

/// <summary>
/// The build arguments of one build (dockerd's <c>BuildArgs</c>): the values given with
/// <c>--build-arg</c>, the ARGs declared before the first FROM (meta args, usable in FROM lines),
/// and those a stage declared, which alone (with the predefined proxy variables) reach RUN.
/// Each stage works on a clone; what it referenced is merged back for the "not consumed" warning.
/// </summary>
public sealed class BuildArgs
{
    /// <summary>dockerd's predefined ARGs: usable without an ARG line, and never reported as unused.</summary>
    private static readonly HashSet<string> Builtin =
        ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

    private readonly IReadOnlyDictionary<string, string?> _fromOptions;
    private readonly Dictionary<string, string?> _allowed;
    private readonly Dictionary<string, string?> _meta;
    private readonly HashSet<string> _referenced;

    public BuildArgs(IReadOnlyDictionary<string, string?> fromOptions)
        : this(fromOptions, new Dictionary<string, string?>(StringComparer.Ordinal), new Dictionary<string, string?>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal))
    {
    }

    private BuildArgs(IReadOnlyDictionary<string, string?> fromOptions, Dictionary<string, string?> allowed, Dictionary<string, string?> meta, HashSet<string> referenced)
    {
        _fromOptions = fromOptions;
        _allowed = allowed;
        _meta = meta;
        _referenced = referenced;
    }

    /// <summary>A stage's own copy: the meta args, but none of another stage's declarations.</summary>
    public BuildArgs CloneForStage() =>
        new(_fromOptions, new Dictionary<string, string?>(StringComparer.Ordinal), new Dictionary<string, string?>(_meta, StringComparer.Ordinal), new HashSet<string>(_referenced, StringComparer.Ordinal));

    public void AddMetaArg(string key, string? value)
    {
        _meta[key] = value;
        _referenced.Add(key);
    }

    /// <summary>An ARG in a stage: declared (so RUN sees it) and referenced.</summary>
    public void AddArg(string key, string? value)
    {
        _allowed[key] = value;
        _referenced.Add(key);
    }

    public void MergeReferenced(BuildArgs stage) => _referenced.UnionWith(stage._referenced);

    /// <summary>The meta args with their values (the --build-arg value winning), for FROM lines and meta ARG defaults.</summary>
    public Dictionary<string, string> MetaValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in _meta.Keys)
            if (Value(key, _meta) is { } v) values[key] = v;
        return values;
    }

    /// <summary>The stage's declared args (and the predefined ones given with --build-arg) with their values, in a stable order.</summary>
    public List<KeyValuePair<string, string>> Allowed()
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var key in _allowed.Keys.Concat(Builtin.Where(b => !_allowed.ContainsKey(b))).Distinct())
            if (Value(key, _allowed) is { } v) values.Add(KeyValuePair.Create(key, v));
        return values;
    }

    /// <summary>The allowed args not shadowed by a variable of <paramref name="env"/> (dockerd's <c>FilterAllowed</c>), as KEY=value.</summary>
    public List<string> FilterAllowed(IReadOnlyDictionary<string, string> env) =>
        Allowed().Where(a => !env.ContainsKey(a.Key)).Select(a => $"{a.Key}={a.Value}").ToList();

    /// <summary>Whether RUN's cache key shows the arg: all but predefined args that no ARG declared.</summary>
    public bool IsReferencedOrNotBuiltin(string key) => _allowed.ContainsKey(key) || !Builtin.Contains(key);

    /// <summary>The --build-arg names nothing declared, sorted, as dockerd warns about them.</summary>
    public List<string> Unconsumed() =>
        _fromOptions.Keys.Where(k => !_referenced.Contains(k) && !Builtin.Contains(k)).Order(StringComparer.Ordinal).ToList();

    private string? Value(string key, Dictionary<string, string?> declared)
    {
        declared.TryGetValue(key, out var declaredValue);
        if (_fromOptions.TryGetValue(key, out var given) && given is not null) return given;
        if (declaredValue is null)
        {
            if (!ReferenceEquals(declared, _meta) && _meta.TryGetValue(key, out var meta) && meta is not null) return meta;
            return null;
        }
        return declaredValue;
    }
}
