using System.Text;
using Berth.Images.Archive.Tar;
using Berth.Images.Digests;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Builds image archives and layer tars for tests, including malformed and malicious ones.</summary>
public static class Archives
{
    public sealed record Entry(TarHeader Header, byte[]? Content);

    public static Entry File(string name, string content, int mode = 0x1a4) =>
        new(new TarHeader { Name = name, Kind = TarEntryKind.Regular, Mode = mode, ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) },
            Encoding.UTF8.GetBytes(content));

    public static Entry Dir(string name) =>
        new(new TarHeader { Name = name, Kind = TarEntryKind.Directory, Mode = 0x1ed, ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }, null);

    public static Entry Symlink(string name, string target) =>
        new(new TarHeader { Name = name, Kind = TarEntryKind.Symlink, LinkName = target, Mode = 0x1ff }, null);

    public static Entry HardLink(string name, string target) =>
        new(new TarHeader { Name = name, Kind = TarEntryKind.HardLink, LinkName = target, Mode = 0x1a4 }, null);

    public static async Task<byte[]> TarAsync(params Entry[] entries)
    {
        var output = new MemoryStream();
        var writer = new TarStreamWriter(output);
        foreach (var entry in entries)
        {
            if (entry.Content is not null) entry.Header.Size = entry.Content.Length;
            await writer.WriteHeaderAsync(entry.Header);
            if (entry.Content is not null) await writer.WriteContentAsync(entry.Content);
        }
        await writer.CloseAsync();
        return output.ToArray();
    }

    /// <summary>An image configuration for the given layers (their diff IDs are computed unless overridden).</summary>
    public static byte[] Config(IEnumerable<byte[]> layers, string? created = "2024-01-01T00:00:00Z", IEnumerable<string>? diffIdOverride = null, string cmd = "sh")
    {
        var diffIds = string.Join(",", (diffIdOverride ?? layers.Select(l => Digest.Sha256(l).ToString())).Select(d => $"\"{d}\""));
        return Encoding.UTF8.GetBytes(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + created + "\",\"config\":{\"Cmd\":[\"" + cmd + "\"]}," +
            "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}");
    }

    /// <summary>A docker-archive holding one image made of <paramref name="layers"/>, tagged with <paramref name="tags"/>.</summary>
    public static Task<byte[]> DockerArchiveAsync(IReadOnlyList<byte[]> layers, IEnumerable<string> tags, byte[]? config = null, IEnumerable<Entry>? extra = null)
    {
        config ??= Config(layers);
        var configName = Digest.Sha256(config).Hex + ".json";
        var entries = new List<Entry> { new(new TarHeader { Name = configName, Kind = TarEntryKind.Regular, Mode = 0x1a4 }, config) };
        var layerNames = new List<string>();
        for (var i = 0; i < layers.Count; i++)
        {
            var name = $"layer{i}/layer.tar";
            layerNames.Add(name);
            entries.Add(Dir($"layer{i}"));
            entries.Add(new(new TarHeader { Name = name, Kind = TarEntryKind.Regular, Mode = 0x1a4 }, layers[i]));
        }
        var manifest = $$"""[{"Config":"{{configName}}","RepoTags":[{{string.Join(",", tags.Select(t => $"\"{t}\""))}}],"Layers":[{{string.Join(",", layerNames.Select(l => $"\"{l}\""))}}]}]""";
        entries.Add(new(new TarHeader { Name = "manifest.json", Kind = TarEntryKind.Regular, Mode = 0x1a4 }, Encoding.UTF8.GetBytes(manifest)));
        entries.AddRange(extra ?? []);
        return TarAsync([.. entries]);
    }

    /// <summary>Reads every regular file of a tar into memory.</summary>
    public static async Task<Dictionary<string, byte[]>> ReadAsync(Stream tar)
    {
        var files = new Dictionary<string, byte[]>();
        var reader = new TarStreamReader(tar);
        while (await reader.NextAsync() is { } header)
        {
            if (!header.IsRegular) continue;
            var content = new MemoryStream();
            await reader.CopyContentToAsync(content);
            files[header.Name] = content.ToArray();
        }
        return files;
    }
}
