namespace Berth.Engine.Info;

/// <summary>Who this daemon is: its persistent ID and its build.</summary>
public sealed record EngineIdentity(string Id, string Version, string GitCommit, string BuildTime);
