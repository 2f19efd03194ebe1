using Berth.Api.Errors;

namespace Berth.Volumes.Tests.Mounts;

/// <summary>The message of the 400 a mount request is refused with.</summary>
internal static class Refused
{
    public static string Message(Action parse)
    {
        var error = Assert.Throws<BerthException>(parse);
        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        return error.Message;
    }
}
