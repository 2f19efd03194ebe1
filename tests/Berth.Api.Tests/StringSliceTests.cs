using System.Text.Json;
using Berth.Api.Json;
using Berth.Api.Wire.Containers;

namespace Berth.Api.Tests;

public sealed class StringSliceTests
{
    [Theory]
    [InlineData("""{"Cmd":["echo","hi"]}""", new[] { "echo", "hi" })]
    [InlineData("""{"Cmd":"echo hi"}""", new[] { "echo hi" })]
    [InlineData("""{"Cmd":[]}""", new string[0])]
    public void Cmd_is_a_list_or_one_string(string json, string[] expected)
    {
        var request = JsonSerializer.Deserialize(json, WireJson.Default.ContainerCreateRequest)!;
        Assert.Equal(expected, request.Cmd);
    }

    [Fact]
    public void Null_stays_null_and_lists_are_written_as_lists()
    {
        var request = JsonSerializer.Deserialize("""{"Entrypoint":null,"Cmd":"sh"}""", WireJson.Default.ContainerCreateRequest)!;
        Assert.Null(request.Entrypoint);
        var written = JsonSerializer.Serialize(request, WireJson.Default.ContainerCreateRequest);
        Assert.Contains("\"Cmd\":[\"sh\"]", written);
        Assert.Contains("\"Entrypoint\":null", written);
    }

    [Theory]
    [InlineData("""{"Cmd":5}""")]
    [InlineData("""{"Cmd":[1]}""")]
    public void Other_values_are_refused(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, WireJson.Default.ContainerCreateRequest));
}
