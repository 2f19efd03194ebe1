using Berth.Api.Filters;

namespace Berth.Api.Tests;

public class TimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("10m", 600)]
    [InlineData("1.5s", 1.5)]
    [InlineData("300ms", 0.3)]
    [InlineData("-2h", -7200)]
    public void Go_durations(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1x")]
    public void Not_go_durations(string text) => Assert.False(GoDuration.TryParse(text, out _) && text.Any(char.IsAsciiLetter));

    [Theory]
    [InlineData("10m", "2026-11-22T11:50:00Z")]
    [InlineData("1700000000", "2023-11-14T22:13:20Z")]
    [InlineData("1700000000.5", "2023-11-14T22:13:20.5Z")]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05Z")]
    [InlineData("2024-01-02", "2024-01-02T00:00:00Z")]
    public void Timestamps_in_every_form_docker_accepts(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Timestamps.Parse(text, Now).ToUniversalTime());
    }

    [Fact]
    public void A_bad_timestamp_is_an_invalid_parameter() =>
        Assert.Equal("failed to parse value as time or duration: \"yesterday\"",
            Assert.Throws<Errors.BerthException>(() => Timestamps.Parse("yesterday", Now)).Message);

    [Fact]
    public void Go_time_format_trims_fraction_zeros() =>
        Assert.Equal("2024-01-02T03:04:05.12Z", GoTime.Format(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 120, TimeSpan.Zero)));

    [Theory]
    [InlineData("1.24", true)]
    [InlineData("1.47", true)]
    [InlineData("1", false)]
    [InlineData("1.x", false)]
    public void Api_versions(string text, bool valid) => Assert.Equal(valid, ApiVersion.TryParse(text, out _));

    [Fact]
    public void Api_versions_compare_numerically() => Assert.True(new ApiVersion(1, 9) < new ApiVersion(1, 41));
}
