using System.Text.Json;
using Berth.Api.Json;
using Berth.Api.Wire;

namespace Berth.Engine.Build;

/// <summary>Copies of a step's configuration with the changes dockerd's <c>copyRunConfig</c> options make.</summary>
public static class BuildConfigs
{
    public static ContainerConfig Copy(ContainerConfig config) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, WireJson.Default.ContainerConfig), WireJson.Default.ContainerConfig)!;

    /// <summary>The cache key and container configuration of a metadata step: the command <c>SHELL "#(nop) " COMMENT</c>.</summary>
    public static ContainerConfig WithNopComment(ContainerConfig config, IReadOnlyList<string> shell, string comment)
    {
        var copy = Copy(config);
        copy.Cmd = [.. shell, "#(nop) ", comment];
        return copy;
    }

    /// <summary>The single-string form COPY, ADD and WORKDIR use: <c>SHELL "#(nop) COMMENT"</c>.</summary>
    public static ContainerConfig WithNopCommentString(ContainerConfig config, IReadOnlyList<string> shell, string comment)
    {
        var copy = Copy(config);
        copy.Cmd = [.. shell, "#(nop) " + comment];
        return copy;
    }
}
