using System.Runtime.InteropServices;

namespace Berth.Network.Nft;

/// <summary>An <c>nft_ctx*</c>, freed with <c>nft_ctx_free</c>.</summary>
internal sealed class NftContextHandle() : SafeHandle(nint.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LibNftables.nft_ctx_free(handle);
        return true;
    }
}
