using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Queues;

/// <summary>A queue-triggered function: the queue it listens on, resolved and checked as the Storage Queues extension does.</summary>
/// <param name="FunctionName">The function, as the worker names it.</param>
/// <param name="BindingName">The trigger binding's name, which its input data must carry.</param>
/// <param name="QueueName">The queue, lower case, settings resolved.</param>
/// <param name="Connection">The binding's <c>connection</c>; empty means <c>AzureWebJobsStorage</c>.</param>
internal sealed record QueueTriggerDefinition(string FunctionName, string BindingName, string QueueName, string? Connection)
{
    public const string TriggerType = "queueTrigger";

    /// <summary>Where messages go after <c>maxDequeueCount</c> failed attempts.</summary>
    public string PoisonQueueName => QueueBindings.PoisonQueueName(QueueName);

    /// <exception cref="DevHostStartupException">The queue name names a missing setting or is not a valid queue name.</exception>
    public static QueueTriggerDefinition From(WorkerFunction function, AppSettings settings)
    {
        var trigger = function.Trigger ?? throw new DevHostStartupException($"function '{function.Name}' has no trigger binding");
        return new QueueTriggerDefinition(function.Name, trigger.Name, QueueBindings.ResolveQueueName(function.Name, trigger, settings), trigger.GetString("connection"));
    }
}

/// <summary>One <c>queue</c> output binding of a function: <c>$return</c> or a named output.</summary>
internal sealed record QueueOutputDefinition(string FunctionName, string BindingName, string QueueName, string? Connection);

/// <summary>The queue bindings of the worker's functions.</summary>
internal static class QueueBindings
{
    public const string OutputType = "queue";
    private const string PoisonSuffix = "-poison";

    public static string PoisonQueueName(string queueName) => queueName + PoisonSuffix;

    /// <summary>The function's <c>queue</c> bindings whose direction is out.</summary>
    /// <exception cref="DevHostStartupException">A queue name names a missing setting or is not a valid queue name.</exception>
    public static IReadOnlyList<QueueOutputDefinition> Outputs(WorkerFunction function, AppSettings settings) =>
        [.. function.Bindings
            .Where(b => b.Type.Equals(OutputType, StringComparison.OrdinalIgnoreCase)
                && string.Equals(b.GetString("direction"), "out", StringComparison.OrdinalIgnoreCase))
            .Select(b => new QueueOutputDefinition(function.Name, b.Name, ResolveQueueName(function.Name, b, settings), b.GetString("connection")))];

    /// <summary>
    /// <c>queueName</c> with its <c>%Setting%</c> tokens resolved, coerced to lower case as the extension does, and
    /// checked against Azure's queue naming rules so a bad name stops devhost rather than every poll.
    /// </summary>
    public static string ResolveQueueName(string functionName, FunctionBinding binding, AppSettings settings)
    {
        var declared = binding.GetString("queueName");
        if (string.IsNullOrWhiteSpace(declared))
        {
            throw new DevHostStartupException($"function '{functionName}': binding '{binding.Name}' ({binding.Type}) declares no queueName");
        }

        var name = SettingTokens.Resolve(declared, s => settings[s], setting => new DevHostStartupException(
            $"function '{functionName}': queueName '{declared}' names app setting '{setting}', which is set neither in the Values of local.settings.json nor in the environment"))
            .Trim().ToLowerInvariant();
        return IsValidQueueName(name)
            ? name
            : throw new DevHostStartupException(
                $"function '{functionName}': queue name '{name}'{(name == declared ? "" : $" (from '{declared}')")} is not a valid queue name: 3 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit");
    }

    private static bool IsValidQueueName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("--", StringComparison.Ordinal);
}
