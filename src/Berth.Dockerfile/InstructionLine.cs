using System.Text.Json;

namespace Berth.Dockerfile;

/// <summary>One Dockerfile instruction: its keyword (lowercase), its <c>--flags</c> and the rest of the line.</summary>
public sealed record InstructionLine(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments, string Original)
{
    /// <summary>Splits <c>KEYWORD [--flag=value …] arguments</c>; the keyword is case-insensitive.</summary>
    public static InstructionLine Parse(string line)
    {
        var text = line.Trim();
        var space = text.IndexOfAny([' ', '\t']);
        var keyword = (space < 0 ? text : text[..space]).ToLowerInvariant();
        var rest = space < 0 ? "" : text[(space + 1)..].TrimStart();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            var eq = flag.IndexOf('=');
            if (eq < 0) flags[flag[2..]] = "";
            else flags[flag[2..eq]] = flag[(eq + 1)..];
            rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
        }
        return new InstructionLine(keyword, flags, rest, text);
    }

    /// <summary>
    /// The JSON array form (<c>["a","b"]</c>) when the arguments are one, else null, as
    /// Docker decides between exec form and shell form.
    /// </summary>
    public IReadOnlyList<string>? JsonArray()
    {
        var trimmed = Arguments.Trim();
        if (!trimmed.StartsWith('[') || !trimmed.EndsWith(']')) return null;
        try
        {
            using var doc = JsonDocument.Parse(trimmed);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            var items = new List<string>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return null;
                items.Add(item.GetString()!);
            }
            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
