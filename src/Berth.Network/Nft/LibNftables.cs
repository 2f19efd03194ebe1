using System.Runtime.InteropServices;

namespace Berth.Network.Nft;

/// <summary>The few calls of libnftables (Debian's libnftables1) that run nft scripts with buffered output.</summary>
internal static partial class LibNftables
{
    private const string Library = "libnftables.so.1";

    public const uint NFT_CTX_DEFAULT = 0;

    [LibraryImport(Library)]
    public static partial NftContextHandle nft_ctx_new(uint flags);

    [LibraryImport(Library)]
    public static partial void nft_ctx_free(nint ctx);

    [LibraryImport(Library)]
    public static partial int nft_ctx_buffer_output(NftContextHandle ctx);

    [LibraryImport(Library)]
    public static partial int nft_ctx_buffer_error(NftContextHandle ctx);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nft_run_cmd_from_buffer(NftContextHandle ctx, string buffer);

    /// <summary>The output since the last call; the pointer is valid until the next command.</summary>
    [LibraryImport(Library)]
    public static partial nint nft_ctx_get_output_buffer(NftContextHandle ctx);

    /// <summary>The errors since the last call; the pointer is valid until the next command.</summary>
    [LibraryImport(Library)]
    public static partial nint nft_ctx_get_error_buffer(NftContextHandle ctx);
}
