namespace Berth.Api.Errors;

/// <summary>
/// What went wrong, in the categories dockerd's errdefs uses. The daemon maps each
/// kind to an HTTP status; nothing below the daemon knows about HTTP.
/// </summary>
public enum ErrorKind
{
    /// <summary>The client sent something malformed or contradictory (400).</summary>
    InvalidParameter,
    /// <summary>The object named does not exist (404).</summary>
    NotFound,
    /// <summary>The request conflicts with the current state, such as a name in use (409).</summary>
    Conflict,
    /// <summary>Credentials were refused, by a registry say (401).</summary>
    Unauthorized,
    /// <summary>The request is understood but not allowed (403).</summary>
    Forbidden,
    /// <summary>The feature exists in Docker but this daemon cannot provide it (501).</summary>
    NotImplemented,
    /// <summary>A dependency is down or the daemon is shutting down (503).</summary>
    Unavailable,
    /// <summary>The daemon failed (500).</summary>
    System,
}
