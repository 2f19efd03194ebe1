using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Berth.Daemon.Hosting;

/// <summary>Log lines in dockerd's (logrus) text format: <c>time="…" level=info msg="…"</c>.</summary>
public sealed class LogrusFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "logrus";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is { } e) message += $": {e.Message}";
        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace or LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            _ => "fatal",
        };
        textWriter.Write("time=\"");
        textWriter.Write(Api.GoTime.Format(DateTimeOffset.UtcNow));
        textWriter.Write("\" level=");
        textWriter.Write(level);
        textWriter.Write(" msg=\"");
        textWriter.Write(message.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
        textWriter.Write('"');
        if (logEntry.LogLevel <= LogLevel.Debug && logEntry.Exception is { } ex)
        {
            textWriter.Write(" error=\"");
            textWriter.Write(ex.ToString().Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
            textWriter.Write('"');
        }
        textWriter.WriteLine();
    }
}
