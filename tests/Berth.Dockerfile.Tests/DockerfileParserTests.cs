using Berth.Api.Errors;

namespace Berth.Dockerfile.Tests;

public class DockerfileParserTests
{
    private static DockerfileInstruction Only(string dockerfile) => Assert.Single(DockerfileParser.Parse(dockerfile).Stages[0].Instructions);

    private static string ErrorOf(string dockerfile)
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(dockerfile));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        return e.Message;
    }

    [Fact]
    public void Stages_with_names_meta_args_and_lines()
    {
        var parsed = DockerfileParser.Parse("ARG TAG=1\n\nFROM busybox:$TAG AS Build\nRUN make\n# comment\nfrom --platform=linux/amd64 build\nCOPY --from=build /out /\n");
        Assert.Equal('\\', parsed.EscapeToken);
        Assert.Equal(["TAG=1"], Assert.Single(parsed.MetaArgs).Args);
        Assert.Equal(2, parsed.Stages.Count);
        var (first, second) = (parsed.Stages[0], parsed.Stages[1]);
        Assert.Equal("build", first.Name);
        Assert.Equal("busybox:$TAG", first.BaseName);
        Assert.Equal(3, first.From.StartLine);
        Assert.Equal("FROM busybox:$TAG AS Build", first.From.Original);
        Assert.Equal("run", Assert.Single(first.Instructions).Keyword);
        Assert.Equal(1, second.Index);
        Assert.Null(second.Name);
        Assert.Equal("linux/amd64", second.From.Flags["platform"]);
        var copy = Assert.Single(second.Instructions);
        Assert.Equal("build", copy.Flags["from"]);
        Assert.Equal("/out /", copy.Arguments);
        Assert.Equal(["/out", "/"], copy.Args);
        Assert.Equal(7, copy.StartLine);
    }

    [Fact]
    public void Continuation_lines_are_joined_as_dockerd_echoes_them()
    {
        var label = Only("FROM scratch\nLABEL a=1 \\\n  b=2\n");
        Assert.Equal("LABEL a=1   b=2", label.Original);
        Assert.Equal((2, 3), (label.StartLine, label.EndLine));
        Assert.Equal(["a", "1", "b", "2"], label.Args);
        Assert.Equal("EXPOSE 8090", Only("FROM scratch\nEXPOSE 80\\\n90\n").Original);
        Assert.Equal("LABEL a=\"x  y\"", Only("FROM scratch\nLABEL a=\"x \\\n y\"\n").Original);
        Assert.Equal("LABEL a=1\\ b=2", Only("FROM scratch\nLABEL a=1\\ \\\nb=2\n").Original);
        Assert.Equal("LABEL a=1", Only("FROM scratch\nLABEL a=1 \\\n").Original);
    }

    [Theory]
    [InlineData("FROM scratch\nLABEL v=a\\\\\nb=2\n")]
    [InlineData("FROM scratch\nLABEL v=a\\\\\\\nb=2\n")]
    [InlineData("FROM scratch\nLABEL v=a\\\\ \nb=2\n")]
    [InlineData("# escape=`\nFROM scratch\nLABEL v=a``\nb=2\n")]
    [InlineData("# escape=`\nFROM scratch\nLABEL v=a`\\\nb=2\n")]
    public void An_escaped_escape_token_at_the_end_does_not_continue(string dockerfile) =>
        Assert.Matches("^dockerfile parse error line [34]: unknown instruction: B=2$", ErrorOf(dockerfile));

    [Theory]
    [InlineData("# escape=`\nFROM scratch\nLABEL v=a\\`\nb=2\n", "LABEL v=a\\b=2")]
    [InlineData("FROM scratch\nLABEL v=a \\\t\nb=2\n", "LABEL v=a b=2")]
    [InlineData("FROM scratch\nLABEL v=a \\\n\\\nb=2\n", "LABEL v=a b=2")]
    [InlineData("FROM scratch\n\\\nLABEL a=1\n", "LABEL a=1")]
    [InlineData("FROM scratch\nLABEL v=\\\\\n", "LABEL v=\\\\")]
    public void A_lone_escape_token_continues(string dockerfile, string original) => Assert.Equal(original, Only(dockerfile).Original);

    [Fact]
    public void Comments_and_empty_lines_inside_a_continuation_are_skipped_with_a_warning_for_empty_ones()
    {
        var parsed = DockerfileParser.Parse("FROM scratch\nLABEL a=1 \\  \n# comment inside\n  b=2 \\\n\n   \nc=3\nLABEL d=4\n");
        var label = parsed.Stages[0].Instructions[0];
        Assert.Equal("LABEL a=1   b=2 c=3", label.Original);
        Assert.Equal((2, 7), (label.StartLine, label.EndLine));
        Assert.Equal(8, parsed.Stages[0].Instructions[1].StartLine);
        Assert.Equal(["[WARNING]: Empty continuation line found in:\n    LABEL a=1   b=2 c=3",
            "[WARNING]: Empty continuation lines will become errors in a future release."], parsed.Warnings);
        Assert.Empty(DockerfileParser.Parse("FROM scratch\n   # indented comment\nLABEL a=1\n").Warnings);
    }

    [Fact]
    public void Byte_order_mark_crlf_indentation_and_lowercase_keywords()
    {
        var parsed = DockerfileParser.Parse("\uFEFFFROM scratch\r\n  label   A=1   \r\nlabel\tb=2 \\\r\n c=3\r\n");
        Assert.Equal("scratch", parsed.Stages[0].BaseName);
        var (first, second) = (parsed.Stages[0].Instructions[0], parsed.Stages[0].Instructions[1]);
        Assert.Equal("label   A=1", first.Original);
        Assert.Equal("label", first.Keyword);
        Assert.Equal("label\tb=2  c=3", second.Original);
    }

    [Theory]
    [InlineData("# escape=`\nFROM scratch\nLABEL a=1 `\n b=c:\\\\x\n", '`')]
    [InlineData("# syntax=docker/dockerfile:1\n# escape=`\nFROM scratch\nLABEL a=1 `\n b=2\n", '`')]
    [InlineData("#escape = ` \nFROM scratch\nLABEL a=1 `\n b=2\n", '`')]
    [InlineData("# ESCAPE=`\nFROM scratch\nLABEL a=1 `\n b=2\n", '`')]
    [InlineData("# escape=\\\nFROM scratch\nLABEL a=1 \\\n b=2\n", '\\')]
    public void Escape_directive_at_the_top(string dockerfile, char escape)
    {
        var parsed = DockerfileParser.Parse(dockerfile);
        Assert.Equal(escape, parsed.EscapeToken);
        Assert.Equal(2, parsed.Stages[0].Instructions[0].Args.Count / 2);
    }

    [Theory]
    [InlineData("# comment\n# escape=`\nFROM scratch\nLABEL a=1 `\n b=2\n")]
    [InlineData("\n# escape=`\nFROM scratch\nLABEL a=1 `\n b=2\n")]
    [InlineData("# foo=bar\n# escape=`\nFROM scratch\nLABEL a=1 `\n b=2\n")]
    [InlineData("#\n# escape=`\nFROM scratch\nLABEL a=1 `\n b=2\n")]
    [InlineData("# escape=\nFROM scratch\nLABEL a=1 `\n b=2\n")]
    public void Directives_end_at_the_first_line_that_is_not_one(string dockerfile) =>
        Assert.Equal("failed to parse Dockerfile: Syntax error - can't find = in \"`\". Must be of the form: name=value", ErrorOf(dockerfile));

    [Fact]
    public void Exec_and_shell_forms()
    {
        var parsed = DockerfileParser.Parse("FROM scratch\nCMD [\"a\"] trailing\nENTRYPOINT [ \"x\" , \"y\" ]  \nCMD [not json\nCMD []\nENTRYPOINT\nRUN echo \"hi\" && ls\nCOPY [\"a b\", \"/c/\"]\nVOLUME /a /b\n");
        var i = parsed.Stages[0].Instructions;
        Assert.Equal(["a"], i[0].JsonForm);
        Assert.Equal(["x", "y"], i[1].JsonForm);
        Assert.Equal("ENTRYPOINT [ \"x\" , \"y\" ]", i[1].Original);
        Assert.Null(i[2].JsonForm);
        Assert.Equal(["[not json"], i[2].Args);
        Assert.Equal([], i[3].JsonForm);
        Assert.Null(i[4].JsonForm);
        Assert.Empty(i[4].Args);
        Assert.Equal(["echo \"hi\" && ls"], i[5].Args);
        Assert.Equal(["a b", "/c/"], i[6].JsonForm);
        Assert.Equal(["/a", "/b"], i[7].Args);
        Assert.Null(i[7].JsonForm);
    }

    [Fact]
    public void Env_label_and_arg_words_keep_their_quotes_for_expansion()
    {
        Assert.Equal(["A", "\"x y\"", "B", "'$C'", "D", "e\\ f"], Only("FROM scratch\nENV A=\"x y\" B='$C' D=e\\ f\n").Args);
        Assert.Equal(["LEGACY", "value  with \"spaces\""], Only("FROM scratch\nENV LEGACY value  with \"spaces\"\n").Args);
        Assert.Equal(["a", "b=c", "d=\"e f\""], Only("FROM scratch\nARG a b=c d=\"e f\"\n").Args);
        Assert.Equal(["\"a b\"", "c"], Only("FROM scratch\nLABEL \"a b\"=c\n").Args);
    }

    [Fact]
    public void Healthcheck_onbuild_and_flags_that_dockerd_ignores()
    {
        var health = Only("FROM scratch\nHEALTHCHECK --interval=5s --retries=2 CMD [\"a\",\"b\"]\n");
        Assert.Equal(["CMD", "a", "b"], health.Args);
        Assert.Equal(["a", "b"], health.JsonForm);
        Assert.Equal("5s", health.Flags["interval"]);
        Assert.Equal(["CMD", "curl -f x || exit 1"], Only("FROM scratch\nHEALTHCHECK CMD curl -f x || exit 1\n").Args);
        Assert.Equal(["NONE"], Only("FROM scratch\nHEALTHCHECK --foo=1 NONE\n").Args);

        var onbuild = Only("FROM scratch\nONBUILD COPY --from=x --from=y a b\n");
        Assert.Equal(["copy", "COPY --from=x --from=y a b"], onbuild.Args);
        Assert.Equal("copy", onbuild.Trigger!.Keyword);
        Assert.Equal("COPY --from=x --from=y a b", onbuild.Trigger.Original);
        Assert.Equal(["a", "b"], onbuild.Trigger.Args);
        Assert.Equal("foo", Only("FROM scratch\nONBUILD FOO x\n").Trigger!.Keyword);

        Assert.Equal("1", Only("FROM scratch\nSTOPSIGNAL --x=1 TERM\n").Flags["x"]);
        Assert.Equal(["a"], Only("FROM scratch\nARG --x=1 a\n").Args);
        Assert.Equal(["a b"], Only("FROM scratch\nUSER a b\n").Args);
        Assert.Equal("type=cache,target=/x", Only("FROM scratch\nRUN --mount=type=cache,target=/x echo\n").Flags["mount"]);
        Assert.Equal("755", Only("FROM scratch\nCOPY --chmod=755 a b\n").Flags["chmod"]);
    }

    [Fact]
    public void Flag_words_take_quotes_escapes_and_a_double_dash()
    {
        var copy = Only("FROM scratch\nCOPY --chown=\"1 2\" --from=a\\ b x y\n");
        Assert.Equal("1 2", copy.Flags["chown"]);
        Assert.Equal("a b", copy.Flags["from"]);
        Assert.Equal("x y", copy.Arguments);
        var dashes = Only("FROM scratch\nCOPY -- a b\n");
        Assert.Empty(dashes.Flags);
        Assert.Equal(["a", "b"], dashes.Args);
    }

    [Fact]
    public void Heredocs_are_plain_text_as_in_the_classic_builder() =>
        Assert.Equal("dockerfile parse error line 3: unknown instruction: B=2", ErrorOf("FROM scratch\nLABEL a=<<EOF\nb=2\n"));

    [Theory]
    [InlineData("", "the Dockerfile (Dockerfile) cannot be empty")]
    [InlineData("# just a comment\n\n", "failed to parse Dockerfile: file with no instructions")]
    [InlineData("FOO bar\n", "dockerfile parse error line 1: unknown instruction: FOO")]
    [InlineData("FROM scratch\nfoo bar\nBAR\n", "dockerfile parse error line 2: unknown instruction: FOO")]
    [InlineData("RUN echo\n", "no build stage in current context")]
    [InlineData("ARG a=1\n", "no build stage in current context")]
    [InlineData("FROM\n", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a b\n", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x\n", "dockerfile parse error line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM --platform=linux/amd64 scratch\nFROM --foo=1 scratch\n", "dockerfile parse error line 2: Unknown flag: foo")]
    [InlineData("FROM scratch\nENV\n", "dockerfile parse error line 2: ENV requires at least one argument")]
    [InlineData("FROM scratch\nENV a\n", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("FROM scratch\nENV a=b c\n", "failed to parse Dockerfile: Syntax error - can't find = in \"c\". Must be of the form: name=value")]
    [InlineData("FROM scratch\nLABEL =x\n", "dockerfile parse error line 2: LABEL names can not be blank")]
    [InlineData("FROM scratch\nLABEL\n", "dockerfile parse error line 2: LABEL requires at least one argument")]
    [InlineData("FROM scratch\nLABEL --q=1 x\n", "failed to parse Dockerfile: LABEL must have two arguments")]
    [InlineData("FROM scratch\nLABEL a=1 # not a comment\n", "failed to parse Dockerfile: Syntax error - can't find = in \"#\". Must be of the form: name=value")]
    [InlineData("FROM scratch\nARG\n", "dockerfile parse error line 2: ARG requires at least one argument")]
    [InlineData("FROM scratch\nARG =c\n", "dockerfile parse error line 2: ARG names can not be blank")]
    [InlineData("FROM scratch\nCOPY x\n", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM scratch\nADD x\n", "dockerfile parse error line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM scratch\nCOPY --foo=1 x y\n", "dockerfile parse error line 2: Unknown flag: foo")]
    [InlineData("FROM scratch\nCOPY --chown=1 --chown=2 x y\n", "dockerfile parse error line 2: Duplicate flag specified: chown")]
    [InlineData("FROM scratch\nCOPY --chown x y\n", "dockerfile parse error line 2: Missing a value on flag: chown")]
    [InlineData("FROM scratch\nCOPY --bool a b\n", "dockerfile parse error line 2: Unknown flag: bool")]
    [InlineData("FROM scratch\nRUN --network=none echo\n", "dockerfile parse error line 2: Unknown flag: network")]
    [InlineData("FROM scratch\nRUN --q\n", "dockerfile parse error line 2: Unknown flag: q")]
    [InlineData("FROM scratch\nCMD --q=1 x\n", "dockerfile parse error line 2: Unknown flag: q")]
    [InlineData("FROM scratch\nENTRYPOINT --q=1 x\n", "dockerfile parse error line 2: Unknown flag: q")]
    [InlineData("FROM scratch\nUSER --x=1 a\n", "dockerfile parse error line 2: Unknown flag: x")]
    [InlineData("FROM scratch\nENV --x=1 a=b\n", "dockerfile parse error line 2: Unknown flag: x")]
    [InlineData("FROM scratch\nWORKDIR\n", "dockerfile parse error line 2: WORKDIR requires exactly one argument")]
    [InlineData("FROM scratch\nSTOPSIGNAL\n", "dockerfile parse error line 2: STOPSIGNAL requires exactly one argument")]
    [InlineData("FROM scratch\nMAINTAINER\n", "dockerfile parse error line 2: MAINTAINER requires exactly one argument")]
    [InlineData("FROM scratch\nEXPOSE\n", "dockerfile parse error line 2: EXPOSE requires at least one argument")]
    [InlineData("FROM scratch\nVOLUME\n", "dockerfile parse error line 2: VOLUME requires at least one argument")]
    [InlineData("FROM scratch\nVOLUME [\"\"]\n", "dockerfile parse error line 2: VOLUME specified can not be an empty string")]
    [InlineData("FROM scratch\nONBUILD\n", "dockerfile parse error line 2: ONBUILD requires at least one argument")]
    [InlineData("FROM scratch\nONBUILD ONBUILD RUN x\n", "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM scratch\nONBUILD from x\n", "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM scratch\nONBUILD maintainer x\n", "dockerfile parse error line 2: MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM scratch\nONBUILD --q=1 RUN x\n", "dockerfile parse error line 2: Unknown flag: q")]
    [InlineData("FROM scratch\nSHELL /bin/sh\n", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM scratch\nSHELL []\n", "dockerfile parse error line 2: SHELL requires at least one argument")]
    [InlineData("FROM scratch\nCMD [\"a\", 1]\n", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("FROM scratch\nHEALTHCHECK\n", "dockerfile parse error line 2: HEALTHCHECK requires at least one argument")]
    [InlineData("FROM scratch\nHEALTHCHECK NONE x\n", "dockerfile parse error line 2: HEALTHCHECK NONE takes no arguments")]
    [InlineData("FROM scratch\nHEALTHCHECK FOO x\n", "dockerfile parse error line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)")]
    [InlineData("FROM scratch\nHEALTHCHECK CMD\n", "dockerfile parse error line 2: Missing command after HEALTHCHECK CMD")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=0s CMD x\n", "dockerfile parse error line 2: Interval \"interval\" cannot be less than 1ms")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=abc CMD x\n", "dockerfile parse error line 2: time: invalid duration \"abc\"")]
    [InlineData("FROM scratch\nHEALTHCHECK --retries=0 CMD x\n", "dockerfile parse error line 2: --retries must be at least 1 (not 0)")]
    [InlineData("FROM scratch\nHEALTHCHECK --retries=x CMD x\n", "dockerfile parse error line 2: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("FROM scratch\nHEALTHCHECK --retries=-1 CMD x\n", "dockerfile parse error line 2: --retries must be at least 1 (not -1)")]
    [InlineData("FROM scratch\nHEALTHCHECK --retries=99999999999 CMD x\n", "dockerfile parse error line 2: strconv.ParseInt: parsing \"99999999999\": value out of range")]
    [InlineData("FROM scratch\nHEALTHCHECK --timeout=0.5ms CMD x\n", "dockerfile parse error line 2: Interval \"timeout\" cannot be less than 1ms")]
    [InlineData("FROM scratch\nHEALTHCHECK --interval=1s --interval=2s CMD x\n", "dockerfile parse error line 2: Duplicate flag specified: interval")]
    [InlineData("FROM scratch\nCOPY --=1 x y\n", "dockerfile parse error line 2: Unknown flag: ")]
    [InlineData("FROM scratch\nADD --from=x a b\n", "dockerfile parse error line 2: Unknown flag: from")]
    [InlineData("FROM scratch AS -x\n", "dockerfile parse error line 1: invalid name for build stage: \"-x\", name can't start with a number or contain symbols")]
    [InlineData("FROM scratch AS x y\n", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("ENV a=b\nFROM scratch\n", "no build stage in current context")]
    [InlineData("FROM scratch\nONBUILD CMD [\"a\", 1]\n", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("FROM scratch\nCMD [\"a\",\n\"b\"]\n", "dockerfile parse error line 3: unknown instruction: \"B\"]")]
    [InlineData("FROM scratch\nHEALTHCHECK --start-interval=1s CMD x\n", "dockerfile parse error line 2: Unknown flag: start-interval")]
    [InlineData("# escape=x\nFROM scratch\n", "failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\")]
    [InlineData("# escape=`x\nFROM scratch\n", "failed to parse Dockerfile: invalid escape token '`x' does not match ` or \\")]
    [InlineData("# escape=`\n# escape=`\nFROM scratch\n", "failed to parse Dockerfile: only one escape parser directive can be used")]
    [InlineData("# syntax=a\n# syntax=b\nFROM scratch\n", "failed to parse Dockerfile: only one syntax parser directive can be used")]
    [InlineData("FROM scratch\nENV a=b\nARG\nFOO\n", "dockerfile parse error line 3: ARG requires at least one argument")]
    [InlineData("FROM scratch\nFOO\nENV a\n", "failed to parse Dockerfile: ENV must have two arguments")]
    public void Refused_with_dockerds_wording(string dockerfile, string message) => Assert.Equal(message, ErrorOf(dockerfile));

    [Fact]
    public void The_error_names_the_first_line_of_a_continued_instruction()
    {
        var e = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse("FROM scratch\n\nWORKDIR \\\n\n"));
        Assert.Equal(3, e.Line);
        Assert.Equal("dockerfile parse error line 3: WORKDIR requires exactly one argument", e.Message);
    }
}

public class OnbuildTriggerTests
{
    [Fact]
    public void A_trigger_is_one_checked_instruction()
    {
        var trigger = DockerfileParser.ParseTrigger("COPY --chown=1 a /b");
        Assert.Equal("copy", trigger.Keyword);
        Assert.Equal("1", trigger.Flags["chown"]);
        Assert.Equal(["a", "/b"], trigger.Args);
        Assert.Equal("RUN echo hi", DockerfileParser.ParseTrigger("RUN echo hi").Original);
    }

    [Theory]
    [InlineData("FOO x", "unknown instruction: FOO")]
    [InlineData("ENV a", "ENV must have two arguments")]
    [InlineData("COPY x", "COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("RUN a\nRUN b", "onbuild trigger should be a single expression")]
    [InlineData("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM x", "*instructions.Stage is not a command type")]
    public void Refused_triggers_have_no_file_prefix(string expression, string message) =>
        Assert.Equal(message, Assert.Throws<DockerfileParseException>(() => DockerfileParser.ParseTrigger(expression)).Message);
}
