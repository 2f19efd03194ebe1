using Berth.Api.Wire;

namespace Berth.Engine.Containers;

/// <summary>Fills a container's configuration from its image's, with dockerd's precedence rules.</summary>
public static class ConfigMerger
{
    public static void Merge(ContainerConfig user, ContainerConfig? image)
    {
        if (image is null) return;
        if (string.IsNullOrEmpty(user.User)) user.User = image.User;
        if (image.ExposedPorts is { Count: > 0 })
        {
            user.ExposedPorts ??= [];
            foreach (var (port, value) in image.ExposedPorts) user.ExposedPorts.TryAdd(port, value);
        }
        if (user.Env is not { Count: > 0 }) user.Env = image.Env is null ? null : [.. image.Env];
        else
        {
            var keys = user.Env.Select(Key).ToHashSet();
            foreach (var env in image.Env ?? []) if (!keys.Contains(Key(env))) user.Env.Add(env);
        }
        if (image.Labels is { Count: > 0 })
        {
            var labels = new Dictionary<string, string>(image.Labels);
            foreach (var (k, v) in user.Labels ?? []) labels[k] = v;
            user.Labels = labels;
        }
        if (user.Entrypoint is not { Count: > 0 })
        {
            if (user.Cmd is not { Count: > 0 })
            {
                user.Cmd = image.Cmd is null ? null : [.. image.Cmd];
                user.ArgsEscaped = image.ArgsEscaped;
            }
            user.Entrypoint ??= image.Entrypoint is null ? null : [.. image.Entrypoint];
        }
        if (user.Healthcheck is null) user.Healthcheck = image.Healthcheck;
        else if (image.Healthcheck is { } h)
        {
            if (user.Healthcheck.Test is not { Count: > 0 }) user.Healthcheck.Test = h.Test;
            if (user.Healthcheck.Interval == 0) user.Healthcheck.Interval = h.Interval;
            if (user.Healthcheck.Timeout == 0) user.Healthcheck.Timeout = h.Timeout;
            if (user.Healthcheck.StartPeriod == 0) user.Healthcheck.StartPeriod = h.StartPeriod;
            if (user.Healthcheck.Retries == 0) user.Healthcheck.Retries = h.Retries;
        }
        if (string.IsNullOrEmpty(user.WorkingDir)) user.WorkingDir = image.WorkingDir;
        if (image.Volumes is { Count: > 0 })
        {
            user.Volumes ??= [];
            foreach (var (path, value) in image.Volumes) user.Volumes.TryAdd(path, value);
        }
        if (string.IsNullOrEmpty(user.StopSignal)) user.StopSignal = image.StopSignal;
        if (user.OnBuild is null && image.OnBuild is not null) user.OnBuild = [.. image.OnBuild];
        if (user.Shell is null && image.Shell is not null) user.Shell = [.. image.Shell];
    }

    private static string Key(string env)
    {
        var i = env.IndexOf('=');
        return i < 0 ? env : env[..i];
    }
}
