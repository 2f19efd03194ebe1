using System.Net;
using Berth.Images.Registry;

namespace Berth.Images.Tests;

/// <summary>Paging of <c>GET /v2/NAME/tags/list</c>: the <c>Link</c> header's next page.</summary>
public sealed class TagListTests
{
    private static readonly Uri Page = new("http://127.0.0.1:5000/v2/app/tags/list");

    [Theory]
    [InlineData("</v2/app/tags/list?last=b&n=2>; rel=\"next\"", "http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2")]
    [InlineData("<http://127.0.0.1:5000/v2/app/tags/list?last=z>;rel=next", "http://127.0.0.1:5000/v2/app/tags/list?last=z")]
    [InlineData("</other>; rel=\"prev\", </v2/app/tags/list?last=c>; rel=\"next\"", "http://127.0.0.1:5000/v2/app/tags/list?last=c")]
    public void The_next_page_is_the_link_marked_next(string link, string expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", link);
        Assert.Equal(new Uri(expected), RegistryClient.NextPage(Page, response));
    }

    [Fact]
    public void Without_a_next_link_there_is_no_next_page()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        Assert.Null(RegistryClient.NextPage(Page, response));
        response.Headers.TryAddWithoutValidation("Link", "</v2/app/tags/list?last=a>; rel=\"prev\"");
        Assert.Null(RegistryClient.NextPage(Page, response));
    }
}
