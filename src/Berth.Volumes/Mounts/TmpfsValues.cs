using System.Globalization;

namespace Berth.Volumes.Mounts;

/// <summary>
/// The <c>size=</c> and <c>mode=</c> of a <c>--tmpfs</c>, read as the kernel reads them: a size in bytes with an
/// optional k/m/g/t/p/e suffix or a percentage of memory, and an octal mode. dockerd leaves a bad value to the
/// kernel, which fails the start; Berth refuses it when the container is created, in dockerd's wording for a bad option.
/// </summary>
internal static class TmpfsValues
{
    private const string Suffixes = "kmgtpe";

    /// <summary>The size in bytes, 0 when given as a percentage of memory.</summary>
    public static long Size(string text)
    {
        if (text.EndsWith('%'))
            return IsNumber(text[..^1], out _) ? 0 : throw Bad("size", text);
        var unit = text.Length > 0 ? Suffixes.IndexOf(char.ToLowerInvariant(text[^1]), StringComparison.Ordinal) : -1;
        var digits = unit >= 0 ? text[..^1] : text;
        var shift = unit >= 0 ? 10 * (unit + 1) : 0;
        if (!IsNumber(digits, out var number) || number > long.MaxValue >> shift) throw Bad("size", text);
        return number << shift;
    }

    /// <summary>The mode's permission and special bits, all the kernel keeps of it.</summary>
    public static int Mode(string text)
    {
        if (text.Length == 0) throw Bad("mode", text);
        ulong mode = 0;
        foreach (var digit in text)
        {
            if (digit is < '0' or > '7') throw Bad("mode", text);
            mode = mode * 8 + (ulong)(digit - '0');
            if (mode > uint.MaxValue) throw Bad("mode", text);
        }
        return (int)(mode & 0xfff);
    }

    private static bool IsNumber(string digits, out long number)
    {
        number = 0;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit)
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static Exception Bad(string key, string value) =>
        MountErrors.Invalid($"Invalid tmpfs option {GoQuote.QuoteList([key, value])}");
}
