using System.Runtime.InteropServices;

namespace Berth.Network.Nft;

/// <summary>
/// nft scripts through libnftables, with one context for the runner's lifetime. The context's
/// netlink socket is opened by the constructor, so the network namespace of the constructing
/// thread is the one every later call changes, whichever thread makes it. Safe to call from
/// several threads.
/// </summary>
public sealed class Nftables : INftables, IDisposable
{
    // libnftables keeps process-wide state (a one-time init in nft_ctx_new, the interface
    // cache every command releases), so calls are serialized across all contexts, not per context.
    private static readonly Lock LibraryLock = new();

    private readonly NftContextHandle context;

    public Nftables()
    {
        NetfilterSocketProbe.EnsureAvailable();
        lock (LibraryLock)
        {
            context = LibNftables.nft_ctx_new(LibNftables.NFT_CTX_DEFAULT);
            if (context.IsInvalid)
                throw new NftablesException("nft_ctx_new failed");
            if (LibNftables.nft_ctx_buffer_output(context) != 0 || LibNftables.nft_ctx_buffer_error(context) != 0)
            {
                context.Dispose();
                throw new NftablesException("libnftables could not buffer its output");
            }
        }
    }

    public void Run(string script) => RunCommands(script);

    /// <summary>nft's listing of one table, e.g. <c>ListTable("ip", "berth")</c>.</summary>
    public string ListTable(string family, string name) => RunCommands($"list table {family} {name}");

    public void Dispose() => context.Dispose();

    private string RunCommands(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        ObjectDisposedException.ThrowIf(context.IsClosed, this);
        lock (LibraryLock)
        {
            var rc = LibNftables.nft_run_cmd_from_buffer(context, script);
            // Both buffers are read every time: reading one is what rewinds it for the next command.
            var output = Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_output_buffer(context)) ?? "";
            var errors = Marshal.PtrToStringUTF8(LibNftables.nft_ctx_get_error_buffer(context)) ?? "";
            if (rc != 0)
                throw new NftablesException(errors.Trim() is { Length: > 0 } text ? text : $"nft failed with {rc}");
            return output;
        }
    }
}
