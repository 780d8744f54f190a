using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BotSociety.DevHost.Tests.Unit;

/// <summary>A logger that keeps its lines, so a test can read what devhost's console would show.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. entries];

    public IReadOnlyList<string> Lines => [.. entries.Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>A factory whose every logger writes to one <see cref="ListLogger"/>.</summary>
internal sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
