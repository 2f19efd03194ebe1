using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Wire;
using Berth.Api.Wire.Images;
using Berth.Api.Wire.Containers;
using Berth.Api.Wire.Daemon;
using Berth.Api.Wire.Networks;
using Berth.Api.Wire.Registry;
using Berth.Api.Wire.Volumes;

namespace Berth.Api.Json;

/// <summary>Source-generated serializers for every wire type, so the daemon never reflects over JSON.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(DistributionInspect))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(List<HistoryResponseItem>))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImagesPruneResponse))]
[JsonSerializable(typeof(BuildCachePruneResponse))]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerTopResponse))]
[JsonSerializable(typeof(List<ContainerChange>))]
[JsonSerializable(typeof(ContainersPruneResponse))]
[JsonSerializable(typeof(ContainerUpdateRequest))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
[JsonSerializable(typeof(ContainerStats))]
[JsonSerializable(typeof(ContainerPathStat))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(NetworkResource))]
[JsonSerializable(typeof(List<NetworkResource>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(NetworksPruneResponse))]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumesPruneResponse))]
[JsonSerializable(typeof(SystemDataUsage))]
public sealed partial class WireJson : JsonSerializerContext
{
    /// <summary>Options for reading client input: property names match case-insensitively, as Go's decoder does.</summary>
    public static JsonSerializerOptions Lenient { get; } = new()
    {
        TypeInfoResolver = Default,
        PropertyNameCaseInsensitive = true,
    };
}
