namespace Berth.Dockerfile.Tests;

public class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/root", ["EMPTY"] = "", ["NAME"] = "berth" };

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("$HOME/x", "/root/x")]
    [InlineData("${HOME}x", "/rootx")]
    [InlineData("'$HOME'", "$HOME")]
    [InlineData("\"$HOME and $NAME\"", "/root and berth")]
    [InlineData("\\$HOME", "$HOME")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${NAME:+set}", "set")]
    [InlineData("${UNSET:+set}", "")]
    [InlineData("$UNSET", "")]
    [InlineData("a\"b c\"d", "ab cd")]
    public void Expands_as_dockerfile_words(string text, string expected) =>
        Assert.Equal(expected, new ShellLexer().ProcessWord(text, Env));

    [Fact]
    public void Splits_words_outside_quotes() =>
        Assert.Equal(["a", "b c", "/root"], new ShellLexer().ProcessWords("a 'b c'  $HOME", Env));

    [Fact]
    public void Backtick_escape_for_windows_style_dockerfiles() =>
        Assert.Equal("$HOME", new ShellLexer('`').ProcessWord("`$HOME", Env));

    [Fact]
    public void Unterminated_quotes_are_errors() =>
        Assert.Throws<FormatException>(() => new ShellLexer().ProcessWord("'open", Env));
}
