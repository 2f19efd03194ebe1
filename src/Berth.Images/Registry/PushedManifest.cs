using System.Text.Json;
using Berth.Images.Digests;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>A blob of a pushed image as its manifest lists it.</summary>
internal sealed record PushedBlob(Digest Digest, long Size);

/// <summary>
/// The Docker schema 2 manifest a push writes, byte for byte as dockerd 20.10 writes it (Go's
/// <c>json.MarshalIndent</c> with three spaces; fields mediaType, size, digest), so the same image
/// pushed by either daemon has the same manifest digest.
/// </summary>
internal static class PushedManifest
{
    public const string ConfigMediaType = "application/vnd.docker.container.image.v1+json";

    public static byte[] Build(PushedBlob config, IReadOnlyList<PushedBlob> layers)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 3,
            NewLine = "\n",
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.DockerManifest);
            json.WritePropertyName("config");
            WriteDescriptor(json, ConfigMediaType, config);
            json.WriteStartArray("layers");
            foreach (var layer in layers) WriteDescriptor(json, RegistryMediaTypes.DockerLayerGzip, layer);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteDescriptor(Utf8JsonWriter json, string mediaType, PushedBlob blob)
    {
        json.WriteStartObject();
        json.WriteString("mediaType", mediaType);
        json.WriteNumber("size", blob.Size);
        json.WriteString("digest", blob.Digest.ToString());
        json.WriteEndObject();
    }
}
