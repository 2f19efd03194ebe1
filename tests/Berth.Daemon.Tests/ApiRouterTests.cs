using Berth.Api;
using Berth.Api.Errors;
using Berth.Daemon.Http;

namespace Berth.Daemon.Tests;

public class ApiRouterTests
{
    private static ApiRouter Router()
    {
        var router = new ApiRouter();
        router.Get("/images/json", _ => Task.CompletedTask);
        router.Get("/images/{name*}/json", _ => Task.CompletedTask);
        router.Delete("/images/{name*}", _ => Task.CompletedTask);
        router.Get("/containers/{id}/json", _ => Task.CompletedTask);
        return router;
    }

    [Theory]
    [InlineData("GET", "/images/json", null)]
    [InlineData("GET", "/images/busybox/json", "busybox")]
    [InlineData("GET", "/images/localhost:5000/team/app:v1/json", "localhost:5000/team/app:v1")]
    [InlineData("DELETE", "/images/registry/app@sha256:abc", "registry/app@sha256:abc")]
    public void Image_names_may_contain_slashes(string method, string path, string? name)
    {
        var match = Router().Match(method, path);
        Assert.NotNull(match);
        if (name is not null) Assert.Equal(name, match.Value.Values["name"]);
    }

    [Theory]
    [InlineData("GET", "/nope")]
    [InlineData("PUT", "/images/json")]
    [InlineData("GET", "/containers/a/b/json")]
    public void Unknown_routes_and_methods_do_not_match(string method, string path) =>
        Assert.Null(Router().Match(method, path));

    [Fact]
    public void Version_prefixes_are_split_and_checked()
    {
        Assert.Equal((new ApiVersion(1, 41), "/images/json"), ApiRouter.SplitVersion("/v1.41/images/json"));
        Assert.Equal((ApiVersion.Current, "/_ping"), ApiRouter.SplitVersion("/_ping"));
        Assert.Equal("client version 1.99 is too new. Maximum supported API version is 1.47",
            Assert.Throws<BerthException>(() => ApiRouter.SplitVersion("/v1.99/version")).Message);
        Assert.Equal("client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version",
            Assert.Throws<BerthException>(() => ApiRouter.SplitVersion("/v1.12/version")).Message);
        Assert.Null(ApiRouter.SplitVersion("/v1..2/version"));
    }
}
