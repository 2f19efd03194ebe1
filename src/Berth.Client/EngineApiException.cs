using System.Net;

namespace Berth.Client;

/// <summary>The daemon answered with an error status; <see cref="Exception.Message"/> is its message.</summary>
public sealed class EngineApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>A JSON progress stream (load, import) ended with an error message.</summary>
public sealed class EngineStreamException(string message) : Exception(message);
