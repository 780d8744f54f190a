using BotSociety.DevHost.Http;
using BotSociety.DevHost.Queues;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Timers;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Hosting;

/// <summary>
/// The functions as devhost serves them: the route table, the timers and the queue bindings, built once from the first worker's
/// index. A restarted worker runs the same build, so they stay valid; a rebuilt app with new functions needs a
/// devhost restart, as with <c>func start</c>.
/// </summary>
internal sealed class FunctionCatalog(HostJson hostJson, AppSettings settings, IInlineConstraintResolver constraints)
{
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, WorkerFunction> Functions { get; private set; } = new Dictionary<string, WorkerFunction>();

    public RouteTable Routes { get; private set; } = RouteTable.Empty;

    public IReadOnlyList<TimerDefinition> Timers { get; private set; } = [];

    public IReadOnlyList<QueueTriggerDefinition> QueueTriggers { get; private set; } = [];

    /// <summary>The <c>queue</c> output bindings of each function that has any, by function name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<QueueOutputDefinition>> QueueOutputs { get; private set; } =
        new Dictionary<string, IReadOnlyList<QueueOutputDefinition>>();

    public bool IsLoaded => loaded.Task.IsCompleted;

    /// <summary>Completes when the first worker has finished its handshake and the catalog is built.</summary>
    public Task Loaded => loaded.Task;

    /// <exception cref="DevHostStartupException">A timer schedule or a queue name does not resolve or is not valid.</exception>
    public void Load(IReadOnlyList<WorkerFunction> functions)
    {
        Timers = [.. functions.Where(f => f.IsTriggeredBy(TimerDefinition.TriggerType)).Select(f => TimerDefinition.From(f, settings))];
        QueueTriggers = [.. functions.Where(f => f.IsTriggeredBy(QueueTriggerDefinition.TriggerType)).Select(f => QueueTriggerDefinition.From(f, settings))];
        QueueOutputs = functions
            .Select(f => (f.Name, Outputs: QueueBindings.Outputs(f, settings)))
            .Where(f => f.Outputs.Count > 0)
            .ToDictionary(f => f.Name, f => f.Outputs, StringComparer.OrdinalIgnoreCase);
        Routes = RouteTable.Build(functions, hostJson.RoutePrefix, constraints);
        Functions = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        loaded.TrySetResult();
    }
}
