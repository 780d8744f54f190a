using BotSociety.DevHost.Http;
using BotSociety.DevHost.Settings;
using BotSociety.DevHost.Timers;
using BotSociety.DevHost.Worker;

namespace BotSociety.DevHost.Hosting;

/// <summary>
/// The functions as devhost serves them: the route table and the timers, built once from the first worker's
/// index. A restarted worker runs the same build, so they stay valid; a rebuilt app with new functions needs a
/// devhost restart, as with <c>func start</c>.
/// </summary>
internal sealed class FunctionCatalog(HostJson hostJson, AppSettings settings, IInlineConstraintResolver constraints)
{
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, WorkerFunction> Functions { get; private set; } = new Dictionary<string, WorkerFunction>();

    public RouteTable Routes { get; private set; } = RouteTable.Empty;

    public IReadOnlyList<TimerDefinition> Timers { get; private set; } = [];

    public bool IsLoaded => loaded.Task.IsCompleted;

    /// <summary>Completes when the first worker has finished its handshake and the catalog is built.</summary>
    public Task Loaded => loaded.Task;

    /// <exception cref="DevHostStartupException">A timer schedule does not resolve or parse.</exception>
    public void Load(IReadOnlyList<WorkerFunction> functions)
    {
        Timers = [.. functions.Where(f => f.IsTriggeredBy(TimerDefinition.TriggerType)).Select(f => TimerDefinition.From(f, settings))];
        Routes = RouteTable.Build(functions, hostJson.RoutePrefix, constraints);
        Functions = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        loaded.TrySetResult();
    }
}
