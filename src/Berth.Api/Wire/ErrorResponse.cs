using System.Text.Json.Serialization;

namespace Berth.Api.Wire;

/// <summary>The body of every error the API returns.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")] public required string Message { get; init; }
}
