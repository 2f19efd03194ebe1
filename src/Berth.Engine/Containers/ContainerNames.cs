using System.Text.RegularExpressions;
using Berth.Api.Errors;

namespace Berth.Engine.Containers;

/// <summary>Docker's container name rules, and random <c>adjective_surname</c> names for containers created without one.</summary>
public static partial class ContainerNames
{
    [GeneratedRegex("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Valid();

    /// <summary>The name with its leading slash, as dockerd stores it; throws dockerd's 400 for an invalid one.</summary>
    public static string Normalize(string name)
    {
        if (!Valid().IsMatch(name))
            throw BerthException.InvalidParameter($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return name.StartsWith('/') ? name : "/" + name;
    }

    private static readonly string[] Adjectives =
    [
        "agile", "amazing", "bold", "brave", "bright", "busy", "calm", "careful", "cheerful", "clever", "cool",
        "curious", "daring", "eager", "elated", "epic", "fervent", "fond", "frosty", "gallant", "gentle",
        "happy", "hardy", "honest", "hopeful", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid",
        "merry", "modest", "nice", "nimble", "noble", "patient", "peaceful", "placid", "polite", "proud",
        "quick", "quiet", "relaxed", "serene", "sharp", "sleepy", "smart", "steady", "sturdy", "sunny",
        "swift", "tender", "tidy", "upbeat", "vibrant", "vigilant", "warm", "wise", "witty", "zealous",
    ];

    // Scientists, engineers and explorers.
    private static readonly string[] Surnames =
    [
        "agnesi", "archimedes", "babbage", "banach", "bohr", "boole", "brahe", "cantor", "carson", "cavendish",
        "curie", "darwin", "dijkstra", "edison", "einstein", "euclid", "euler", "faraday", "fermat", "fermi",
        "feynman", "franklin", "galileo", "gauss", "germain", "goodall", "hamilton", "hawking", "heisenberg",
        "hertz", "hilbert", "hopper", "hypatia", "joule", "kepler", "knuth", "lamarr", "laplace", "leibniz",
        "lovelace", "maxwell", "meitner", "mendel", "newton", "noether", "ohm", "pascal", "pasteur", "planck",
        "poincare", "ramanujan", "riemann", "ritchie", "sagan", "shannon", "tesla", "thompson", "torvalds",
        "turing", "volta", "wozniak", "yalow",
    ];

    /// <summary>A random name not taken yet, as Docker picks them: a few tries, then a digit appended.</summary>
    public static string Random(Func<string, bool> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = $"{Adjectives[System.Random.Shared.Next(Adjectives.Length)]}_{Surnames[System.Random.Shared.Next(Surnames.Length)]}";
            if (attempt >= 10) name += System.Random.Shared.Next(10);
            if (!taken("/" + name)) return name;
        }
    }
}
