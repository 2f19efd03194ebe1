using Berth.Api.Errors;
using Berth.Api.Filters;

namespace Berth.Api.Tests;

public class FilterArgsTests
{
    [Fact]
    public void Reads_both_the_current_and_the_legacy_form()
    {
        var current = FilterArgs.Parse("""{"dangling":{"true":true},"label":{"a=b":true,"c":true}}""");
        var legacy = FilterArgs.Parse("""{"dangling":["true"],"label":["a=b","c"]}""");
        foreach (var filters in new[] { current, legacy })
        {
            Assert.True(filters.GetBool("dangling", false));
            Assert.Equal(["a=b", "c"], filters.Get("label").Order());
        }
    }

    [Fact]
    public void Unknown_keys_and_bad_booleans_give_dockerds_messages()
    {
        var e = Assert.Throws<BerthException>(() => FilterArgs.Parse("""{"foo":{"x":true}}""").Validate("dangling"));
        Assert.Equal("Invalid filter 'foo'", e.Message);
        e = Assert.Throws<BerthException>(() => FilterArgs.Parse("""{"dangling":{"maybe":true}}""").GetBool("dangling", false));
        Assert.Equal("Invalid filter 'dangling=[maybe]'", e.Message);
        Assert.Equal(ErrorKind.InvalidParameter, Assert.Throws<BerthException>(() => FilterArgs.Parse("{not json")).Kind);
    }

    [Fact]
    public void Labels_match_by_name_or_by_name_and_value()
    {
        var labels = new Dictionary<string, string> { ["team"] = "x", ["tier"] = "web" };
        Assert.True(FilterArgs.Parse("""{"label":{"team":true}}""").MatchKeyValues("label", labels));
        Assert.True(FilterArgs.Parse("""{"label":{"team=x":true,"tier=web":true}}""").MatchKeyValues("label", labels));
        Assert.False(FilterArgs.Parse("""{"label":{"team=y":true}}""").MatchKeyValues("label", labels));
        Assert.False(FilterArgs.Parse("""{"label":{"team":true}}""").MatchKeyValues("label", null));
        Assert.True(FilterArgs.Empty.MatchKeyValues("label", null));
    }
}
