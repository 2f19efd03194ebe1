using Berth.Api;
using Berth.Api.Errors;

namespace Berth.Images.Registry;

/// <summary>The <c>platform</c> a pull asks for: only this host's is served for now, rather than silently pulling another.</summary>
internal static class PullPlatform
{
    public static void EnsureHost(string? platform)
    {
        if (string.IsNullOrEmpty(platform)) return;
        var host = $"{HostPlatform.Os}/{HostPlatform.Architecture}";
        var parts = platform.ToLowerInvariant().Split('/');
        var matches = parts.Length switch
        {
            1 => parts[0] == HostPlatform.Os,
            2 => $"{parts[0]}/{parts[1]}" == host,
            3 => $"{parts[0]}/{parts[1]}" == host && (HostPlatform.Architecture != "arm64" || parts[2] == "v8"),
            _ => false,
        };
        if (!matches) throw BerthException.NotImplemented($"pulling for platform {platform} is not supported yet; berthd pulls {host} images");
    }
}
