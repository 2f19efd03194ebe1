using Berth.Api.Errors;

namespace Berth.Engine.Streams;

/// <summary>
/// Docker's detach key sequences (<c>ctrl-p,ctrl-q</c> by default): parses the option and finds the
/// sequence in a client's input, holding back a prefix that may continue in the next read.
/// </summary>
public sealed class DetachKeys
{
    private readonly byte[] keys;
    private int matched;

    private DetachKeys(byte[] keys) => this.keys = keys;

    public static DetachKeys Default => new([16, 17]);

    /// <summary>Parses <c>ctrl-a</c>…<c>ctrl-z</c>, <c>ctrl-@</c>, <c>ctrl-[</c>, <c>ctrl-\</c>, <c>ctrl-]</c>, <c>ctrl-^</c>, <c>ctrl-_</c> and single characters, comma-separated.</summary>
    public static DetachKeys Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Default;
        var result = new List<byte>();
        foreach (var key in text.Split(','))
        {
            var k = key.Trim();
            if (k.Length == 1)
            {
                result.Add((byte)k[0]);
                continue;
            }
            if (k.StartsWith("ctrl-", StringComparison.Ordinal) && k.Length == 6)
            {
                var c = char.ToLowerInvariant(k[5]);
                if (c is >= 'a' and <= 'z') { result.Add((byte)(c - 'a' + 1)); continue; }
                var code = c switch { '@' => 0, '[' => 27, '\\' => 28, ']' => 29, '^' => 30, '_' => 31, _ => -1 };
                if (code >= 0) { result.Add((byte)code); continue; }
            }
            throw BerthException.InvalidParameter($"Unknown character: '{k}'");
        }
        return new DetachKeys([.. result]);
    }

    /// <summary>
    /// Scans <paramref name="input"/>: returns the bytes to pass on (a held-back partial match is
    /// released when the sequence breaks) and whether the whole sequence was typed.
    /// </summary>
    public (byte[] Forward, bool Detach) Scan(ReadOnlySpan<byte> input)
    {
        var forward = new List<byte>(input.Length);
        foreach (var b in input)
        {
            if (b == keys[matched])
            {
                matched++;
                if (matched == keys.Length) return ([.. forward], true);
                continue;
            }
            for (var i = 0; i < matched; i++) forward.Add(keys[i]);
            matched = 0;
            if (b == keys[0]) matched = 1;
            else forward.Add(b);
        }
        return ([.. forward], false);
    }
}
