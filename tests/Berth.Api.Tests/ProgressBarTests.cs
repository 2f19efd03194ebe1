using Berth.Api.Wire;

namespace Berth.Api.Tests;

public class ProgressBarTests
{
    [Theory]
    // As dockerd 20.10 drew a push of a 3 MB layer: the tar runs past the layer's size, and then the total is left out.
    [InlineData(33280, 3000003, "[>                                                  ]  33.28kB/3MB")]
    [InlineData(2654720, 3000003, "[============================================>      ]  2.655MB/3MB")]
    [InlineData(3002880, 3000003, "[==================================================>]  3.003MB")]
    [InlineData(512, 0, "    512B")]
    public void Progress_is_drawn_as_docker_draws_it(long current, long total, string expected)
    {
        Assert.Equal(expected, ProgressBar.Render(current, total));
    }
}
