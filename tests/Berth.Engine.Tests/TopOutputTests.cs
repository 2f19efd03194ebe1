using Berth.Api.Errors;
using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

/// <summary>dockerd's filtering of ps output for <c>docker top</c>.</summary>
public sealed class TopOutputTests
{
    private const string PsEf = """
        UID          PID    PPID  C STIME TTY          TIME CMD
        root           1       0  0 07:00 ?        00:00:02 /sbin/init
        root       24255   24235  1 07:47 ?        00:00:00 sleep 2000
        root       24287   24255  0 07:47 ?        00:00:00 sleep 1000
        """;

    [Fact]
    public void Keeps_the_containers_rows_and_joins_the_last_column()
    {
        var top = TopOutput.Parse(PsEf + "\n", [24255, 24287]);
        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], top.Titles);
        Assert.Equal(2, top.Processes!.Count);
        Assert.Equal(["root", "24255", "24235", "1", "07:47", "?", "00:00:00", "sleep 2000"], top.Processes[0]);
        Assert.Equal("sleep 1000", top.Processes[1][7]);
    }

    [Fact]
    public void No_matching_process_gives_null_as_dockerd()
    {
        Assert.Null(TopOutput.Parse(PsEf, [99]).Processes);
    }

    [Fact]
    public void Thread_rows_follow_the_process_they_belong_to()
    {
        const string threads = "USER PID TID CMD\nroot 10 - sh\nroot - 10 -\nroot - 11 -\nroot 20 - other\nroot - 20 -\n";
        var top = TopOutput.Parse(threads, [10]);
        Assert.Equal(3, top.Processes!.Count);
        Assert.Equal(["root", "-", "11", "-"], top.Processes[2]);
    }

    [Fact]
    public void Output_without_a_pid_column_and_renamed_pid_columns_are_refused()
    {
        Assert.Equal("Couldn't find PID field in ps output", Assert.Throws<BerthException>(() => TopOutput.Parse("USER COMMAND\nroot sh\n", [1])).Message);
        Assert.Equal("specifying \"user=PID\" is not allowed", Assert.Throws<BerthException>(() => TopOutput.ValidateArguments("-o pid -o user=PID")).Message);
        TopOutput.ValidateArguments("-o pid=PID");
    }
}
