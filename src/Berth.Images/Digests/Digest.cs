using System.Security.Cryptography;
using Berth.Api.Errors;

namespace Berth.Images.Digests;

/// <summary>A content digest such as <c>sha256:9f86…</c>: algorithm and lowercase hex.</summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }
    public string Hex { get; }

    public static Digest Parse(string text) =>
        TryParse(text, out var digest, out var error) ? digest : throw BerthException.InvalidParameter(error!);

    public static bool TryParse(string? text, out Digest digest) => TryParse(text, out digest, out _);

    private static bool TryParse(string? text, out Digest digest, out string? error)
    {
        digest = default;
        error = "invalid checksum digest format";
        if (string.IsNullOrEmpty(text)) return false;
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        int expected = algorithm switch { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => -1 };
        if (expected < 0)
        {
            error = "unsupported digest algorithm";
            return false;
        }
        if (hex.Length != expected || !IsLowerHex(hex))
        {
            error = "invalid checksum digest length";
            if (hex.Length == expected) error = "invalid checksum digest format";
            return false;
        }
        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static Digest FromSha256Hex(string hex) =>
        hex.Length == 64 && IsLowerHex(hex) ? new Digest("sha256", hex) : throw new ArgumentException($"not a sha256 hex digest: {hex}");

    public static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f') return false;
        return true;
    }

    /// <summary>A hash of this digest's algorithm, for verifying content as it streams.</summary>
    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm switch
    {
        "sha384" => HashAlgorithmName.SHA384,
        "sha512" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    });

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Hex}";
}
