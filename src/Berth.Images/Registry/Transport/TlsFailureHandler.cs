using System.Security.Authentication;

namespace Berth.Images.Registry.Transport;

/// <summary>
/// Turns .NET's "The SSL connection could not be established" into the reason, as Go gives it
/// (<c>x509: certificate signed by unknown authority</c>), so that messages name the real problem.
/// </summary>
internal sealed class TlsFailureHandler(TlsVerifier verifier) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await base.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
        {
            var reason = verifier.LastRefusal ?? $"tls: {tls.InnerException?.Message ?? tls.Message}";
            throw new HttpRequestException(reason, e);
        }
    }
}
