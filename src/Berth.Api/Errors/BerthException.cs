namespace Berth.Api.Errors;

/// <summary>An error whose message is meant for the client, with the kind that picks its status code.</summary>
public class BerthException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public static BerthException InvalidParameter(string message) => new(ErrorKind.InvalidParameter, message);
    public static BerthException NotFound(string message) => new(ErrorKind.NotFound, message);
    public static BerthException Conflict(string message) => new(ErrorKind.Conflict, message);
    public static BerthException Unauthorized(string message) => new(ErrorKind.Unauthorized, message);
    public static BerthException Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static BerthException NotImplemented(string message) => new(ErrorKind.NotImplemented, message);
    public static BerthException Unavailable(string message) => new(ErrorKind.Unavailable, message);
    public static BerthException System(string message, Exception? inner = null) => new(ErrorKind.System, message, inner);
}
