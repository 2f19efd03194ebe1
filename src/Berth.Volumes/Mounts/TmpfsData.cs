using System.Globalization;
using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Mounts;

/// <summary>moby's <c>ConvertTmpfsOptions</c>: a <c>--mount type=tmpfs</c> as mount data (<c>ro,mode=1770,size=64m</c>).</summary>
internal static class TmpfsData
{
    private static readonly (string Suffix, long Divisor)[] Units = [("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10)];

    public static string FromMount(bool readOnly, MountTmpfsOptions? options)
    {
        var parts = new List<string>();
        if (readOnly) parts.Add("ro");
        if (options is { Mode: not 0 }) parts.Add("mode=" + Convert.ToString((long)options.Mode, 8));
        if (options is { SizeBytes: not 0 }) parts.Add("size=" + SizeText(options.SizeBytes));
        return string.Join(',', parts);
    }

    /// <summary>The size in the largest unit that divides it evenly, or in bytes.</summary>
    private static string SizeText(long size)
    {
        foreach (var (suffix, divisor) in Units)
            if (size % divisor == 0)
                return (size / divisor).ToString(CultureInfo.InvariantCulture) + suffix;
        return size.ToString(CultureInfo.InvariantCulture);
    }
}
