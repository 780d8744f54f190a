using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace BotSociety.DevHost.Hosting;

/// <summary>
/// One line per log entry, <c>level category: message</c>: devhost's console interleaves its own lines with the
/// worker's, and short lines keep the worker's readable.
/// </summary>
internal sealed class DevHostConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "devhost";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var category = logEntry.Category;
        textWriter.Write(logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce ",
            LogLevel.Debug => "dbug ",
            LogLevel.Information => "info ",
            LogLevel.Warning => "warn ",
            LogLevel.Error => "fail ",
            _ => "crit ",
        });
        textWriter.Write(category[(category.LastIndexOf('.') + 1)..]);
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null)
        {
            textWriter.WriteLine(logEntry.Exception.ToString());
        }
    }
}
