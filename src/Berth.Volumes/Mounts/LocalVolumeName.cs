using System.Text;

namespace Berth.Volumes.Mounts;

/// <summary>The names the <c>local</c> volume driver accepts: <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c>.</summary>
public static class LocalVolumeName
{
    public const string DriverName = "local";
    public const string AllowedCharacters = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    /// <summary>Why the local driver refuses <paramref name="name"/>, in dockerd's words, or null when it takes it.</summary>
    public static string? Problem(string name)
    {
        // Go measures the name in bytes, so one non-ASCII letter is "invalid characters", not "too short".
        if (Encoding.UTF8.GetByteCount(name) == 1)
            return "volume name is too short, names should be at least two alphanumeric characters";
        if (!IsAllowed(name))
            return $"{GoQuote.Quote(name)} includes invalid characters for a local volume name, only {GoQuote.Quote(AllowedCharacters)} are allowed. If you intended to pass a host directory, use absolute path";
        return null;
    }

    /// <summary>Whether <paramref name="driver"/> (empty meaning the default) is the local driver, whose names are checked.</summary>
    public static bool IsLocal(string? driver) => string.IsNullOrEmpty(driver) || driver == DriverName;

    /// <summary>Refuses a name the local driver would not create a volume under, as dockerd's volume store words it.</summary>
    internal static void CheckForCreate(string name)
    {
        if (Problem(name) is { } problem)
            throw MountErrors.Invalid($"create {name}: {problem}");
    }

    private static bool IsAllowed(string name) =>
        name.Length >= 2
        && char.IsAsciiLetterOrDigit(name[0])
        && name.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
