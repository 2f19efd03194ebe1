namespace Berth.Runtime.Oci;

/// <summary>What an exec session changes in its container's process.</summary>
public sealed record ExecProcessInput
{
    public required IReadOnlyList<string> Args { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public string? WorkingDir { get; init; }

    /// <summary>The exec's own user; null runs as the container's user.</summary>
    public ResolvedUser? User { get; init; }

    public bool Tty { get; init; }
    public uint[]? ConsoleSize { get; init; }
    public bool Privileged { get; init; }
}

/// <summary>
/// The OCI process of an exec session, as dockerd derives it: the container's own process
/// (environment, user, capabilities, rlimits, no-new-privileges) with the exec's command, its
/// extra environment replacing or adding variables, TERM only for a TTY, and its user and
/// working directory when given. The directory is not created: runc fails on a missing one.
/// </summary>
public static class ExecProcessBuilder
{
    public static SpecProcess Build(SpecProcess container, ExecProcessInput input)
    {
        var env = container.Env.Where(e => !e.StartsWith("TERM=", StringComparison.Ordinal)).ToList();
        if (input.Tty) env.Add("TERM=xterm");
        foreach (var variable in input.Env ?? [])
        {
            var key = variable.Split('=', 2)[0];
            var index = env.FindIndex(e => e.Split('=', 2)[0] == key);
            if (index >= 0) env[index] = variable;
            else env.Add(variable);
        }
        var capabilities = input.Privileged
            ? new SpecCapabilities { Bounding = [.. Capabilities.All], Effective = [.. Capabilities.All], Permitted = [.. Capabilities.All] }
            : container.Capabilities;
        return new SpecProcess
        {
            Terminal = input.Tty,
            ConsoleSize = input.Tty && input.ConsoleSize is [var h, var w] && h > 0 && w > 0 ? new SpecConsoleSize { Height = h, Width = w } : null,
            User = input.User is { } user
                ? new SpecUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? [.. user.AdditionalGids] : null }
                : container.User,
            Args = [.. input.Args],
            Env = env,
            Cwd = string.IsNullOrEmpty(input.WorkingDir) ? container.Cwd : input.WorkingDir,
            Capabilities = capabilities,
            Rlimits = container.Rlimits,
            NoNewPrivileges = container.NoNewPrivileges,
            OomScoreAdj = container.OomScoreAdj,
        };
    }
}
