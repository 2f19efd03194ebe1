namespace Berth.Images.Registry;

/// <summary>Content from a registry did not hash to the digest that named it.</summary>
internal sealed class DigestMismatchException(string what, Digests.Digest expected, Digests.Digest actual)
    : Exception($"{what}: digest mismatch: expected {expected}, got {actual}")
{
    public Digests.Digest Expected { get; } = expected;
    public Digests.Digest Actual { get; } = actual;

    public static void ThrowIfDifferent(string what, Digests.Digest expected, Digests.Digest actual)
    {
        if (expected != actual) throw new DigestMismatchException(what, expected, actual);
    }
}
