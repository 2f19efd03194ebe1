using System.Globalization;
using System.Text;

namespace Berth.Volumes.Mounts;

/// <summary>Go's <c>%q</c> (<c>strconv.Quote</c>), which dockerd's mount messages quote names and types with.</summary>
internal static class GoQuote
{
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
            Append(quoted, rune);
        return quoted.Append('"').ToString();
    }

    /// <summary><c>%q</c> of a <c>[]string</c>: each element quoted, space-separated, in brackets.</summary>
    public static string QuoteList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(Quote)) + "]";

    private static void Append(StringBuilder quoted, Rune rune)
    {
        switch (rune.Value)
        {
            case '"': quoted.Append("\\\""); return;
            case '\\': quoted.Append("\\\\"); return;
            case '\a': quoted.Append("\\a"); return;
            case '\b': quoted.Append("\\b"); return;
            case '\f': quoted.Append("\\f"); return;
            case '\n': quoted.Append("\\n"); return;
            case '\r': quoted.Append("\\r"); return;
            case '\t': quoted.Append("\\t"); return;
            case '\v': quoted.Append("\\v"); return;
        }
        if (IsPrintable(rune)) quoted.Append(rune.ToString());
        else if (rune.Value < 0x80) quoted.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
        else if (rune.Value <= 0xffff) quoted.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
        else quoted.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}");
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
