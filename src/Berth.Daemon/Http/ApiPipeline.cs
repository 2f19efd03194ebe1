using System.Text.Json;
using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Api.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Http;

/// <summary>
/// The one request pipeline: version prefix, route, Docker's standard headers, the handler, and
/// errors turned into <c>{"message": …}</c> with the status their kind calls for.
/// </summary>
public sealed class ApiPipeline(ApiRouter router, string serverVersion, ILogger logger)
{
    private readonly string _server = $"Berth/{serverVersion} (linux)";

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            var split = ApiRouter.SplitVersion(http.Request.Path.Value ?? "/");
            var match = split is { } s ? router.Match(http.Request.Method, s.Path) : null;
            if (match is not { } route)
            {
                await WriteErrorAsync(http, StatusCodes.Status404NotFound, "page not found").ConfigureAwait(false);
                return;
            }
            var headers = http.Response.Headers;
            headers["Api-Version"] = ApiVersion.Current.ToString();
            headers["Docker-Experimental"] = "false";
            headers["Ostype"] = "linux";
            headers["Server"] = _server;
            logger.LogDebug("Calling {Method} {Path}", http.Request.Method, http.Request.Path.Value);
            await route.Handler(new ApiContext(http, route.Values, split!.Value.Version)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BerthException e)
        {
            logger.LogDebug("{Method} {Path} failed: {Message}", http.Request.Method, http.Request.Path.Value, e.Message);
            await WriteErrorAsync(http, StatusOf(e.Kind), e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(http, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            await WriteErrorAsync(http, StatusCodes.Status500InternalServerError, e.Message).ConfigureAwait(false);
        }
    }

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidParameter => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteErrorAsync(HttpContext http, int status, string message)
    {
        if (http.Response.HasStarted)
        {
            // Mid-body there is no status left to set; a JSON stream carries the error as its last message.
            if (http.Response.ContentType == "application/json")
                await new JsonMessageWriter(http.Response.Body).ErrorAsync(message).ConfigureAwait(false);
            else
                http.Abort();
            return;
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        // dockerd's encoder does not escape HTML characters: quotes stay \" (not \u0022), so messages read as dockerd's do.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(json, new ErrorResponse { Message = message }, WireJson.Default.ErrorResponse);
        byte[] body = [.. buffer.WrittenSpan, (byte)'\n'];
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
