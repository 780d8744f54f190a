using BotSociety.Core.Bots;

namespace BotSociety.Core.Data;

/// <summary>The answer of a write: the changed resource, or why nothing changed (invalid input, or no such resource).</summary>
public sealed record WriteResult<T>(T? Value, IReadOnlyList<FieldError> Errors, bool NotFound)
    where T : class;

/// <summary>Builds <see cref="WriteResult{T}"/> answers.</summary>
public static class WriteResult
{
    public static WriteResult<T> Done<T>(T value)
        where T : class => new(value, [], false);

    public static WriteResult<T> Invalid<T>(IReadOnlyList<FieldError> errors)
        where T : class => new(null, errors, false);

    public static WriteResult<T> Missing<T>()
        where T : class => new(null, [], true);
}
