using System.Text;

namespace Berth.Network.Dns;

/// <summary>
/// Domain names in text form: labels joined by dots, without the trailing dot ("example.com"; the root is "").
/// Label bytes that are a dot, a backslash or not printable ASCII are escaped as in zone files
/// (<c>\.</c>, <c>\\</c>, <c>\DDD</c>), so any name read from the wire writes back the same.
/// </summary>
public static class DnsName
{
    public const int MaxWireLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>The name as lookups compare it: ASCII lower-case, without a trailing dot.</summary>
    public static string Normalize(string name) =>
        (HasTrailingDot(name) ? name[..^1] : name).ToLowerInvariant();

    /// <summary>The labels of a name in text form, as the bytes the wire carries.</summary>
    /// <exception cref="ArgumentException">An empty label, a label over 63 bytes, a name over 255 bytes, a bad escape or a non-ASCII character.</exception>
    public static IReadOnlyList<byte[]> ToLabels(string name)
    {
        var labels = new List<byte[]>();
        var label = new List<byte>();
        var wireLength = 1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '.')
            {
                if (label.Count == 0 && !(i == 0 && name.Length == 1))
                    throw new ArgumentException($"The name '{name}' has an empty label.", nameof(name));
                if (label.Count > 0) AddLabel();
                continue;
            }
            if (c == '\\') label.Add(ReadEscape(name, ref i));
            else if (c < 0x80) label.Add((byte)c);
            else throw new ArgumentException($"The name '{name}' has a non-ASCII character; encode it (punycode) first.", nameof(name));
        }
        if (label.Count > 0) AddLabel();
        return labels;

        void AddLabel()
        {
            if (label.Count > MaxLabelLength)
                throw new ArgumentException($"The name '{name}' has a label longer than {MaxLabelLength} bytes.", nameof(name));
            wireLength += 1 + label.Count;
            if (wireLength > MaxWireLength)
                throw new ArgumentException($"The name '{name}' is longer than {MaxWireLength} bytes.", nameof(name));
            labels.Add([.. label]);
            label.Clear();
        }
    }

    /// <summary>A name as text from its labels' bytes.</summary>
    public static string FromLabels(IEnumerable<byte[]> labels)
    {
        var text = new StringBuilder();
        foreach (var label in labels)
        {
            if (text.Length > 0) text.Append('.');
            AppendLabel(text, label);
        }
        return text.ToString();
    }

    internal static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\') text.Append('\\').Append((char)b);
            else if (b is < 0x21 or > 0x7e) text.Append('\\').Append(((int)b).ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append((char)b);
        }
    }

    private static byte ReadEscape(string name, ref int i)
    {
        if (i + 1 >= name.Length) throw new ArgumentException($"The name '{name}' ends with a lone backslash.", nameof(name));
        if (char.IsAsciiDigit(name[i + 1]))
        {
            if (i + 3 >= name.Length || !char.IsAsciiDigit(name[i + 2]) || !char.IsAsciiDigit(name[i + 3]))
                throw new ArgumentException($"The name '{name}' has an escape that is not \\DDD.", nameof(name));
            var value = (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
            if (value > 255) throw new ArgumentException($"The name '{name}' has an escape over \\255.", nameof(name));
            i += 3;
            return (byte)value;
        }
        var escaped = name[++i];
        if (escaped >= 0x80) throw new ArgumentException($"The name '{name}' has a non-ASCII character.", nameof(name));
        return (byte)escaped;
    }

    // "a\." ends with an escaped dot, which is part of the last label, not a trailing dot.
    private static bool HasTrailingDot(string name)
    {
        if (!name.EndsWith('.')) return false;
        var backslashes = 0;
        for (var i = name.Length - 2; i >= 0 && name[i] == '\\'; i--) backslashes++;
        return backslashes % 2 == 0;
    }
}
