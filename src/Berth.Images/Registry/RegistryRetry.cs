using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Registry.Auth;

namespace Berth.Images.Registry;

/// <summary>dockerd's retry policy for layer transfers: which failures are retried, and the countdown shown before each retry.</summary>
internal static class RegistryRetry
{
    /// <summary>Transport failures are retried; the registry's refusals (404, 401, a bad digest) are not.</summary>
    public static bool Retryable(Exception e) => e switch
    {
        IOException => true,
        BerthException { InnerException: HttpRequestException and not RegistryAuthException } => true,
        _ => false,
    };

    /// <summary>dockerd's countdown: before the Nth retry it waits N delay steps, saying so once a second.</summary>
    public static async Task CountDownAsync(JsonMessageWriter output, TimeSpan step, int attempt, string id, CancellationToken ct)
    {
        var remaining = step * attempt;
        while (remaining > TimeSpan.Zero)
        {
            var seconds = (int)Math.Ceiling(remaining.TotalSeconds);
            await output.StatusAsync($"Retrying in {seconds} second{(seconds == 1 ? "" : "s")}", id, ct).ConfigureAwait(false);
            var wait = remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1);
            await Task.Delay(wait, ct).ConfigureAwait(false);
            remaining -= wait;
        }
    }
}
