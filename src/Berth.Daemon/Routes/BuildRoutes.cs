using System.Globalization;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Build;
using Berth.Images.Registry;

namespace Berth.Daemon.Routes;

/// <summary><c>POST /build</c>: the classic builder. The query becomes a <see cref="BuildRequest"/>, the body is the context.</summary>
public sealed class BuildRoutes(ImageBuilder builder)
{
    public void Register(ApiRouter router)
    {
        router.Post("/build", BuildAsync);
        router.Post("/build/prune", c => c.WriteJsonAsync(ImageBuilder.PruneCache(), WireJson.Default.BuildCachePruneResponse));
    }

    private async Task BuildAsync(ApiContext c)
    {
        var request = new BuildRequest
        {
            Tags = c.QueryAll("t"),
            Dockerfile = c.Query("dockerfile") is { Length: > 0 } dockerfile ? dockerfile : "Dockerfile",
            BuildArgs = JsonMap<string?>(c.Query("buildargs"), "buildargs"),
            Labels = JsonMap<string>(c.Query("labels"), "labels"),
            NoCache = c.QueryBool("nocache"),
            Pull = c.QueryBool("pull"),
            Remove = c.QueryBool("rm", fallback: true),
            ForceRemove = c.QueryBool("forcerm"),
            Quiet = c.QueryBool("q"),
            Target = c.Query("target"),
            Platform = c.Query("platform"),
            Remote = c.Query("remote"),
            Squash = c.QueryBool("squash"),
            BuilderVersion = c.Query("version"),
            NetworkMode = c.Query("networkmode"),
            ExtraHosts = c.Query("extrahosts") is { Length: > 0 } hosts ? hosts.Split(',') : [],
            ShmSize = Number(c, "shmsize"),
            Memory = Number(c, "memory"),
            MemorySwap = Number(c, "memswap"),
            CpuShares = Number(c, "cpushares"),
            CpuPeriod = Number(c, "cpuperiod"),
            CpuQuota = Number(c, "cpuquota"),
            CpusetCpus = c.Query("cpusetcpus"),
            CpusetMems = c.Query("cpusetmems"),
            RegistryAuth = RegistryAuthConfigs.FromHeader(c.Request.Headers["X-Registry-Config"]),
        };
        await builder.BuildAsync(request, c.Request.Body, new BuildOutput(c.BeginJsonStream(), request.Quiet), c.Aborted).ConfigureAwait(false);
    }

    private static Dictionary<string, T> JsonMap<T>(string? text, string name)
    {
        if (string.IsNullOrEmpty(text)) return [];
        try
        {
            var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, T>>)BuildRouteJson.Default.GetTypeInfo(typeof(Dictionary<string, T>))!;
            return JsonSerializer.Deserialize(text, info) ?? [];
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"failed to parse {name}: {e.Message}");
        }
    }

    private static long Number(ApiContext c, string name)
    {
        var text = c.Query(name);
        if (string.IsNullOrEmpty(text)) return 0;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw BerthException.InvalidParameter($"invalid {name}: {text}");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class BuildRouteJson : System.Text.Json.Serialization.JsonSerializerContext;
