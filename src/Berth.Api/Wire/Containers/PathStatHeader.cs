using System.Text.Json;
using Berth.Api.Json;

namespace Berth.Api.Wire.Containers;

/// <summary>The <c>X-Docker-Container-Path-Stat</c> header of the archive endpoints: base64 of the stat's JSON.</summary>
public static class PathStatHeader
{
    public const string Name = "X-Docker-Container-Path-Stat";

    public static string Encode(ContainerPathStat stat) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(stat, WireJson.Default.ContainerPathStat));

    public static ContainerPathStat? Decode(string header) =>
        JsonSerializer.Deserialize(Convert.FromBase64String(header), WireJson.Default.ContainerPathStat);
}
