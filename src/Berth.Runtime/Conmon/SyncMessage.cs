using System.Text.Json.Serialization;

namespace Berth.Runtime.Conmon;

/// <summary>What conmon writes to its sync pipe: a PID (or an exit code, for exec) in <c>data</c>, and a message when it failed.</summary>
public sealed class SyncMessage
{
    [JsonPropertyName("data")] public int Data { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

[JsonSerializable(typeof(SyncMessage))]
internal sealed partial class ConmonJson : JsonSerializerContext;
