namespace Berth.Api.Wire;

/// <summary>Serializes as <c>{}</c>: the value type of Docker's set-like maps (ExposedPorts, Volumes).</summary>
public sealed class EmptyObject
{
    public static readonly EmptyObject Instance = new();
}
