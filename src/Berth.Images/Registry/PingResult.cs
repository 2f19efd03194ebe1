using System.Net;
using Berth.Api.Errors;

namespace Berth.Images.Registry;

/// <summary>How an endpoint answered <c>GET /v2/</c>: a status, or the error reaching it.</summary>
internal sealed record PingResult(Uri Uri, HttpStatusCode? Status, BerthException? Failure)
{
    public bool Reached => Failure is null;
}
