using System.Text.Json;
using Berth.Api.Errors;

namespace Berth.Api.Filters;

/// <summary>
/// The <c>filters</c> query parameter: a JSON object of key → set of values. Accepts the
/// current form <c>{"key":{"value":true}}</c> and the legacy form <c>{"key":["value"]}</c>.
/// </summary>
public sealed class FilterArgs
{
    private readonly Dictionary<string, HashSet<string>> _fields;

    private FilterArgs(Dictionary<string, HashSet<string>> fields) => _fields = fields;

    public static FilterArgs Empty { get; } = new(new Dictionary<string, HashSet<string>>());

    public IEnumerable<string> Keys => _fields.Keys;

    public static FilterArgs Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        var fields = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("filters must be a JSON object");
            foreach (var field in doc.RootElement.EnumerateObject())
            {
                var values = new HashSet<string>(StringComparer.Ordinal);
                switch (field.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var v in field.Value.EnumerateObject())
                            if (v.Value.ValueKind == JsonValueKind.True) values.Add(v.Name);
                        break;
                    case JsonValueKind.Array:
                        foreach (var v in field.Value.EnumerateArray())
                            values.Add(v.GetString() ?? throw new JsonException("filter values must be strings"));
                        break;
                    default:
                        throw new JsonException($"filter '{field.Name}' must be an object or an array");
                }
                fields[field.Name] = values;
            }
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"invalid filter: {e.Message}");
        }
        return new FilterArgs(fields);
    }

    public static FilterArgs From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var fields = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            if (!fields.TryGetValue(k, out var set)) fields[k] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(v);
        }
        return new FilterArgs(fields);
    }

    public bool Contains(string key) => _fields.ContainsKey(key);

    public IReadOnlyCollection<string> Get(string key) =>
        _fields.TryGetValue(key, out var values) ? values : (IReadOnlyCollection<string>)Array.Empty<string>();

    /// <summary>Refuses keys outside <paramref name="accepted"/> with dockerd's message.</summary>
    public void Validate(params string[] accepted)
    {
        foreach (var key in _fields.Keys)
            if (Array.IndexOf(accepted, key) < 0)
                throw BerthException.InvalidParameter($"Invalid filter '{key}'");
    }

    /// <summary>A boolean filter such as <c>dangling=true</c>; absent gives <paramref name="fallback"/>.</summary>
    public bool GetBool(string key, bool fallback)
    {
        if (!_fields.TryGetValue(key, out var values) || values.Count == 0) return fallback;
        bool? result = null;
        foreach (var v in values)
        {
            bool parsed = v.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw BerthException.InvalidParameter($"Invalid filter '{key}=[{string.Join(" ", values)}]'"),
            };
            if (result is { } r && r != parsed)
                throw BerthException.InvalidParameter($"Invalid filter '{key}=[{string.Join(" ", values)}]'");
            result = parsed;
        }
        return result ?? fallback;
    }

    /// <summary>
    /// True when every value of <paramref name="key"/> (each <c>name</c> or <c>name=value</c>)
    /// is satisfied by <paramref name="labels"/>.
    /// </summary>
    public bool MatchKeyValues(string key, IReadOnlyDictionary<string, string>? labels)
    {
        if (!_fields.TryGetValue(key, out var wanted)) return true;
        foreach (var item in wanted)
        {
            var eq = item.IndexOf('=');
            var name = eq < 0 ? item : item[..eq];
            if (labels is null || !labels.TryGetValue(name, out var actual)) return false;
            if (eq >= 0 && actual != item[(eq + 1)..]) return false;
        }
        return true;
    }
}
