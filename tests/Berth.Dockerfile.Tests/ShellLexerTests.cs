namespace Berth.Dockerfile.Tests;

/// <summary>Cases recorded from dockerd 20.10 (LABEL v=… with ENV E="" S="a  b" N=berth; see docs/oracle/dockerd-build.md).</summary>
public class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["HOME"] = "/root", ["E"] = "", ["N"] = "berth", ["S"] = "a  b",
    };

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("$HOME/x", "/root/x")]
    [InlineData("${HOME}x", "/rootx")]
    [InlineData("'$HOME'", "$HOME")]
    [InlineData("\"$HOME and $N\"", "/root and berth")]
    [InlineData("\\$HOME", "$HOME")]
    [InlineData("${U:-def}", "def")]
    [InlineData("${E:-def}", "def")]
    [InlineData("${N:+alt}", "alt")]
    [InlineData("${E:+alt}", "")]
    [InlineData("${U:+alt}", "")]
    [InlineData("$1x", "x")]
    [InlineData("${1}", "")]
    [InlineData("$$", "")]
    [InlineData("$@x", "x")]
    [InlineData("${N:?err}", "berth")]
    [InlineData("${N:-${U:-nested}}", "berth")]
    [InlineData("${U:-${U:-nested}}", "nested")]
    [InlineData("${U:-\"q w\"}", "q w")]
    [InlineData("${U:-'q $N'}", "q $N")]
    [InlineData("a\\$N", "a$N")]
    [InlineData("\"a\\$N\\x\"", "a$N\\x")]
    [InlineData("'a\\$N'", "a\\$N")]
    [InlineData("$N$N", "berthberth")]
    [InlineData("$/x", "$/x")]
    [InlineData("$", "$")]
    [InlineData("\"${S}\"", "a  b")]
    [InlineData("${S}", "a  b")]
    [InlineData("a\\", "a")]
    [InlineData("\"$N's\"", "berth's")]
    [InlineData("$\u00e9a", "")]
    [InlineData("${N:-}}", "berth}")]
    [InlineData("${U:-a}b}", "ab}")]
    [InlineData("${U:-a\\}b}", "a}b")]
    [InlineData("\"${U:-a\"b\"c}\"", "abc")]
    [InlineData("a\"b c\"d", "ab cd")]
    [InlineData("\"a\\\\b\\\"c\"", "a\\b\"c")]
    public void Expands_one_word_as_dockerd(string text, string expected) =>
        Assert.Equal(expected, new ShellLexer().ProcessWord(text, Env));

    [Theory]
    [InlineData("${U-def}", "failed to process \"${U-def}\": missing ':' in substitution")]
    [InlineData("${N+alt}", "failed to process \"${N+alt}\": missing ':' in substitution")]
    [InlineData("${N#b}", "failed to process \"${N#b}\": missing ':' in substitution")]
    [InlineData("${N", "failed to process \"${N\": missing ':' in substitution")]
    [InlineData("${}", "failed to process \"${}\": syntax error: bad substitution")]
    [InlineData("${:x}", "failed to process \"${:x}\": syntax error: bad substitution")]
    [InlineData("${", "failed to process \"${\": syntax error: missing '}'")]
    [InlineData("${N:-x", "failed to process \"${N:-x\": syntax error: missing '}'")]
    [InlineData("${N:=x}", "failed to process \"${N:=x}\": unsupported modifier (=) in substitution")]
    [InlineData("${U:?err}", "failed to process \"${U:?err}\": U: err")]
    [InlineData("${U:?}", "failed to process \"${U:?}\": U: is not allowed to be unset")]
    [InlineData("${E:?}", "failed to process \"${E:?}\": E: is not allowed to be empty")]
    [InlineData("'open", "failed to process \"'open\": unexpected end of statement while looking for matching single-quote")]
    [InlineData("\"open", "failed to process \"\\\"open\": unexpected end of statement while looking for matching double-quote")]
    public void Errors_use_dockerds_wording(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => new ShellLexer().ProcessWord(text, Env)).Message);

    [Theory]
    [InlineData("a 'b c'  $HOME", new[] { "a", "b c", "/root" })]
    [InlineData("$S", new[] { "a", "b" })]
    [InlineData("\"$S\"", new[] { "a  b" })]
    [InlineData("x$S", new[] { "xa", "b" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("'' \"\" a", new[] { "a" })]
    [InlineData("80 ${E} 443/udp", new[] { "80", "443/udp" })]
    public void Splits_words_as_dockerd_does_for_expose(string text, string[] expected) =>
        Assert.Equal(expected, new ShellLexer().ProcessWords(text, Env));

    [Fact]
    public void Backtick_escape_for_windows_style_dockerfiles()
    {
        var lexer = new ShellLexer('`');
        Assert.Equal("$HOME", lexer.ProcessWord("`$HOME", Env));
        Assert.Equal("c:\\dir", lexer.ProcessWord("c:\\dir", Env));
        Assert.Equal("a\"b", lexer.ProcessWord("\"a`\"b\"", Env));
    }
}
