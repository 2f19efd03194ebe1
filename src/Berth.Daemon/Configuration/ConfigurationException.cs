namespace Berth.Daemon.Configuration;

/// <summary>Flags or the configuration file are wrong; the message says what to fix and berthd exits 1.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
