namespace Berth.Api;

/// <summary>Engine API versions ("1.47") and the range this daemon serves.</summary>
public readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public static readonly ApiVersion Minimum = new(1, 24);
    public static readonly ApiVersion Current = new(1, 47);

    public static bool TryParse(string? text, out ApiVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text)) return false;
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1) return false;
        if (!int.TryParse(text.AsSpan(0, dot), System.Globalization.NumberStyles.None, null, out var major)) return false;
        if (!int.TryParse(text.AsSpan(dot + 1), System.Globalization.NumberStyles.None, null, out var minor)) return false;
        version = new ApiVersion(major, minor);
        return true;
    }

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion a, ApiVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(ApiVersion a, ApiVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(ApiVersion a, ApiVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ApiVersion a, ApiVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
