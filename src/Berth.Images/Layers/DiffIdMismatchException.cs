using Berth.Images.Digests;

namespace Berth.Images.Layers;

/// <summary>A layer's content does not hash to the diff ID its image configuration names.</summary>
public sealed class DiffIdMismatchException(Digest expected, Digest actual)
    : Exception($"expected \"{expected}\", got \"{actual}\"")
{
    public Digest Expected { get; } = expected;
    public Digest Actual { get; } = actual;
}
