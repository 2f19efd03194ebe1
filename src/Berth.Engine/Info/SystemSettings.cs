namespace Berth.Engine.Info;

/// <summary>The daemon settings /info and /version report.</summary>
public sealed record SystemSettings(
    string DataRoot,
    bool Debug,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Warnings,
    string RuntimePath,
    IReadOnlyList<string> VolumeDrivers,
    IReadOnlyList<string> NetworkDrivers,
    IReadOnlyList<string> LogDrivers,
    Berth.Api.Wire.Daemon.RegistryServiceConfig? Registry = null);
