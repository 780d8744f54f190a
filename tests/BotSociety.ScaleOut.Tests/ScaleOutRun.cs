using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BotSociety.DevHost.Tests.EndToEnd;
using BotSociety.DevHost.Tests.Storage;
using Npgsql;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// One scale-out run, shared by the tests of <see cref="ScaleOutTests"/>: a throwaway PostgreSQL, an Azurite, and two
/// devhosts running the real worker on them with queue dispatch, whose society (made by the app as they start) is grown
/// to 200 bots at the fast pace, all due at once. Both run heartbeat batches until every bot has acted and each has a
/// share; then the devhost holding the Heartbeat timer's lease is killed with SIGKILL while it runs a batch of a tick it
/// has just queued, and the survivor carries on alone until anything the kill stranded would show as overdue; then the
/// society is paused and drained. What an operator would see along the way is recorded here; the tests assert on it
/// and on the database left behind. Every process is stopped in <see cref="DisposeAsync"/>, whatever happened.
/// </summary>
public sealed partial class ScaleOutRun : IAsyncLifetime, IDisposable
{
    public const int Bots = 200;
    public const string HeartbeatSchedule = "*/2 * * * * *";
    public const int HeartbeatPeriodSeconds = 2;
    public const int ClaimSeconds = 15;
    public const int ModelTimeoutSeconds = 5;
    public const int QueueBatchSize = 5;

    /// <summary>devhost's message lease: a batch taken by a devhost that dies reappears after at most this long.</summary>
    public const int MessageLeaseSeconds = 10;

    /// <summary>devhost's timer lease (15 s is Azure's shortest): another devhost fires the timer within 1¼ of it.</summary>
    public const int TimerLeaseSeconds = 15;

    /// <summary>
    /// Each instance runs at least this part of the heartbeats before the kill. Not half: the instance that dispatches a
    /// tick is woken by its own writes and takes the first of the tick's four or so batches at once, and the other finds
    /// what is left at its next poll. Measured: 17 % for the other instance in two quiet runs (100 ms polls), 13 % in
    /// one loaded run with 250 ms polls; 15 % had no room left once a batch took about 40 ms.
    /// </summary>
    public const double MinimumShare = 0.10;

    /// <summary>
    /// What a batch may take beyond the leases on this 2-core machine with other suites running beside it: waiting
    /// behind other batches for a turn, feeds, the offline model, the writers' lock and the commit.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(20);

    /// <summary>
    /// After the kill, each bot the dead instance had claimed acts on the survivor within this. Its batch was either
    /// still queued (the survivor takes it at its next poll), or taken by the dead devhost (it reappears after the
    /// message lease, 10 s, and the survivor runs it while the claim, renewed when the batch started, still holds),
    /// or claimed by a tick whose batches the dead devhost never wrote (the claims lapse after ClaimSeconds, 15 s,
    /// and the survivor, which fires the timer within 1¼ timer leases, 18.75 s, claims them on its next tick, 2 s
    /// later). All of these end within ClaimSeconds + the message lease (25 s); then the batch runs: the slack.
    /// </summary>
    public static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(ClaimSeconds + MessageLeaseSeconds) + Slack;

    /// <summary>The survivor fires the Heartbeat timer within 1¼ timer leases of the kill (devhost/README.md), plus slack.</summary>
    public static readonly TimeSpan TimerTakeoverBound = TimeSpan.FromSeconds(TimerLeaseSeconds * 1.25) + Slack;

    /// <summary>
    /// No bot is overdue by more than this at the end: a due bot is claimed at the next tick (the schedule's period,
    /// 2 s); a claim that died with an instance lapses after ClaimSeconds and a batch taken by it reappears after the
    /// message lease (both at most 25 s, see <see cref="TakeoverBound"/>); the batch then runs within the slack.
    /// The survivor runs alone for at least this long after the kill, so a bot the kill stranded would exceed it.
    /// </summary>
    public static readonly TimeSpan OverdueBound = TimeSpan.FromSeconds(HeartbeatPeriodSeconds + ClaimSeconds + MessageLeaseSeconds) + Slack;

    private const string HoldsLease = "Timer Heartbeat: this devhost holds the lease";
    private const string DispatchExecuted = "[Heartbeat] Executed (Succeeded";
    private const string DispatchedLine = "due bots claimed and queued in";

    private readonly Azurite azurite = new();
    private readonly List<string> figures = [];
    private LocalPostgres? postgres;
    private QueueTunedApp? app;
    private DevHostProcess? first;
    private DevHostProcess? second;
    private DevHostProcess? survivorHost;
    private DevHostProcess? frozen;
    private int? frozenWorker;
    private DateTime killedAt;
    private Exception? failure;
    private string stage = "not started";

    public string ConnectionString => postgres?.ConnectionString ?? "";

    /// <summary>The instance ids (<c>details.instance</c>, the worker's host name and pid) of the two devhosts.</summary>
    public IReadOnlyList<string> Instances { get; private set; } = [];

    public string Killed { get; private set; } = "";

    public string Survivor { get; private set; } = "";

    public bool PhaseOneReached { get; private set; }

    public TimeSpan PhaseOneTime { get; private set; }

    /// <summary>Batches the tick right before the kill queued (0 when no tick of two batches came in time).</summary>
    public int BatchesOfTheTickBeforeTheKill { get; private set; }

    /// <summary>The last activity row committed before the kill; later rows are the survivor's.</summary>
    public long LastRowBeforeKill { get; private set; }

    /// <summary>Bots claimed by the killed instance as it died: (bot, claim, claimed_until).</summary>
    public IReadOnlyList<(int Bot, string Claim, DateTime Until)> ClaimsAtKill { get; private set; } = [];

    public bool KilledWorkerGone { get; private set; }

    public int KilledWorkerPid { get; private set; }

    /// <summary>When the survivor had run every bot of <see cref="ClaimsAtKill"/>, or null when it had not within the bound's wait.</summary>
    public TimeSpan? TakeoverTime { get; private set; }

    /// <summary>Per bot of <see cref="ClaimsAtKill"/>: seconds from the kill to its heartbeat on the survivor (its row's created_at).</summary>
    public IReadOnlyDictionary<int, double> TakeoverSeconds { get; private set; } = new Dictionary<int, double>();

    /// <summary>
    /// Bots of <see cref="ClaimsAtKill"/> that acted only once a lease ended: their batch was running on the killed
    /// devhost (its message reappears after the message lease) or was never written (its claims lapse).
    /// </summary>
    public int LeaseWaits => TakeoverSeconds.Values.Count(s => s >= MessageLeaseSeconds - 2);

    public TimeSpan? TimerTakeoverTime { get; private set; }

    public bool SurvivorDispatched { get; private set; }

    /// <summary>The most overdue bots at the end, before the pause: (bot, seconds overdue).</summary>
    public IReadOnlyList<(int Bot, double Seconds)> MostOverdue { get; private set; } = [];

    public bool Drained { get; private set; }

    public TimeSpan DrainTime { get; private set; }

    /// <summary>/api/health's <c>queue</c> on the survivor after the drain.</summary>
    public string QueueHealth { get; private set; } = "";

    public long? Pending { get; private set; }

    public long? Poison { get; private set; }

    public TimeSpan RunTime { get; private set; }

    public IReadOnlyList<string> Figures => figures;

    public async Task InitializeAsync()
    {
        var run = Stopwatch.StartNew();
        try
        {
            await RunAsync();
        }
        catch (Exception e)
        {
            failure = e;
        }

        RunTime = run.Elapsed;
        figures.Add($"run: {RunTime.TotalSeconds:0.0} s");
    }

    /// <summary>Fails the calling test when the run could not be made at all, saying where and why.</summary>
    public void EnsureRan()
    {
        if (failure is not null)
        {
            Assert.Fail($"The scale-out run failed while {stage}: {failure}\n{Describe()}");
        }
    }

    /// <summary>Everything the processes printed (routine lines of each batch and tick left out but the last ones), for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"instances: {string.Join(", ", Instances)}; killed {Killed}, survivor {Survivor}");
        text.AppendLine("figures: " + string.Join("; ", figures));
        foreach (var (name, devHost) in new[] { ("first devhost", first), ("second devhost", second) })
        {
            if (devHost is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"==== {name} (port {devHost.Port}) ====");
                text.AppendLine(Summarize(devHost.Output));
            }
        }

        text.AppendLine("==== Azurite ====").AppendLine(azurite.Output);
        if (postgres is not null)
        {
            text.AppendLine("==== PostgreSQL ====").AppendLine(postgres.Output).AppendLine(postgres.LogTail());
        }

        return text.ToString();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        await ResumeAsync();
        foreach (var devHost in new[] { first, second })
        {
            if (devHost is not null)
            {
                try
                {
                    await devHost.DisposeAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone; the others must still be stopped.
                }
            }
        }

        azurite.Dispose();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
            postgres = null;
        }

        Dispose();
    }

    /// <summary>What needs no waiting; <see cref="DisposeAsync"/> stops the processes first, in order.</summary>
    public void Dispose()
    {
        azurite.Dispose();
        app?.Dispose();
        app = null;
    }

    private async Task RunAsync()
    {
        stage = "starting PostgreSQL and Azurite";
        var infrastructure = Stopwatch.StartNew();
        var starting = LocalPostgres.StartAsync();
        try
        {
            await azurite.InitializeAsync();
        }
        finally
        {
            // Kept even when Azurite fails, so DisposeAsync stops it.
            postgres = await starting;
        }

        figures.Add($"PostgreSQL and Azurite started in {infrastructure.Elapsed.TotalSeconds:0.0} s");

        stage = "starting two devhosts";
        app = new QueueTunedApp();
        var settings = Path.Combine(app.ScriptRoot, "local.settings.json");
        await File.WriteAllTextAsync(settings, JsonSerializer.Serialize(new { IsEncrypted = false, Values = Settings() }));
        var starts = Stopwatch.StartNew();

        // Side by side on an empty database, as instances of a new app start: both migrate it, and the first to take the
        // writers' lock seeds the society.
        first = DevHostProcess.Start(settings, app.ScriptRoot);
        second = DevHostProcess.Start(settings, app.ScriptRoot);
        await Task.WhenAll(first.WaitUntilHealthyAsync(), second.WaitUntilHealthyAsync());
        figures.Add($"both devhosts healthy after {starts.Elapsed.TotalSeconds:0.0} s");

        stage = $"growing the society to {Bots} bots";
        await SocietyGrowth.GrowToAsync(postgres!.ConnectionString, Bots);
        Instances = [InstanceOf(first), InstanceOf(second)];

        stage = "waiting for a devhost to hold the Heartbeat timer's lease";
        await WaitAsync(() => Task.FromResult(Holder() is not null), TimeSpan.FromSeconds(TimerLeaseSeconds * 2));

        stage = "running on both instances";
        var phaseOne = Stopwatch.StartNew();
        PhaseOneReached = await WaitAsync(BothShareEveryBotAsync, TimeSpan.FromSeconds(150));
        PhaseOneTime = phaseOne.Elapsed;
        figures.Add($"both instances ran and every bot acted after {PhaseOneTime.TotalSeconds:0.0} s (reached: {PhaseOneReached})");

        stage = "killing the lease holder";
        var holder = Holder() ?? throw new InvalidOperationException("No devhost holds the Heartbeat timer's lease.");
        var survivor = holder == first ? second! : first!;
        Killed = InstanceOf(holder);
        Survivor = InstanceOf(survivor);
        survivorHost = survivor;
        var kill = await KillMidTickAsync(holder, survivor);
        try
        {
            await holder.WaitForExitAsync(TimeSpan.FromSeconds(10));
            KilledWorkerGone = await WaitAsync(() => Task.FromResult(!DevHostProcess.IsRunning(KilledWorkerPid)), TimeSpan.FromSeconds(10));
            await using var db = await OpenAsync();

            // The last committed row first: a bot applied after it (by the survivor) is seen as acting after the kill.
            killedAt = await ScalarAsync<DateTime>(db, "SELECT now()");
            LastRowBeforeKill = await ScalarAsync<long>(db, "SELECT coalesce(max(id), 0) FROM activity_log");
            ClaimsAtKill = await ReadAsync(db, "SELECT id, claimed_by, claimed_until FROM bots WHERE claimed_by LIKE @prefix ORDER BY id",
                r => (r.GetInt32(0), r.GetString(1), r.GetDateTime(2)), ("prefix", Killed + "/%"));
        }
        finally
        {
            await ResumeAsync();
        }

        figures.Add($"killed {Killed} (devhost pid {holder.Pid}, worker pid {KilledWorkerPid}) after a tick of {BatchesOfTheTickBeforeTheKill} batches, holding {ClaimsAtKill.Count} claims in {ClaimsAtKill.Select(c => c.Claim).Distinct().Count()} batches; worker gone: {KilledWorkerGone}");

        stage = "waiting for the survivor to run the killed instance's bots";
        var survivorHeldLease = survivor.CountLines(HoldsLease);
        var survivorDispatches = survivor.CountLines(DispatchExecuted);
        var timerTaken = WaitForTimerAsync(survivor, survivorHeldLease, kill);
        if (await WaitAsync(TakenOverAsync, TakeoverBound + TimeSpan.FromSeconds(30)))
        {
            TakeoverTime = kill.Elapsed;
        }

        await timerTaken;
        SurvivorDispatched = await WaitAsync(() => Task.FromResult(survivor.CountLines(DispatchExecuted) > survivorDispatches), TimeSpan.FromSeconds(30));
        var slowest = TakeoverSeconds.Values.DefaultIfEmpty().Max();
        figures.Add($"survivor {Survivor} ran the {TakeoverSeconds.Count} of {ClaimsAtKill.Count} bots after {TakeoverTime?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "(not all)"} s " +
            $"(slowest heartbeat {slowest:0.0} s after the kill; {LeaseWaits} waited for a lease to end); " +
            $"took the timer after {TimerTakeoverTime?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "(never)"} s and dispatched: {SurvivorDispatched}");

        stage = "running on the survivor alone";
        // A bot the kill stranded is overdue by the time since the kill: the survivor runs on until that would exceed
        // the bound. Time itself is the condition here.
        var left = OverdueBound + TimeSpan.FromSeconds(1) - kill.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        await using (var db = await OpenAsync())
        {
            MostOverdue = await ReadAsync(db,
                "SELECT id, extract(epoch FROM now() - next_heartbeat_at)::float8 FROM bots WHERE NOT is_paused ORDER BY next_heartbeat_at, id LIMIT 5",
                r => (r.GetInt32(0), r.GetDouble(1)));
        }

        figures.Add($"most overdue at the end, {kill.Elapsed.TotalSeconds:0} s after the kill: {string.Join(", ", MostOverdue.Select(o => $"bot {o.Bot} {o.Seconds:0.0} s"))}");

        stage = "pausing and draining the society";
        var drain = Stopwatch.StartNew();
        using (var pause = await survivor.Http.PutAsync(new Uri("/api/pace", UriKind.Relative),
            new StringContent("""{"pace": "paused"}""", Encoding.UTF8, "application/json")))
        {
            if (pause.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"PUT /api/pace paused answered {pause.StatusCode}: {await pause.Content.ReadAsStringAsync()}");
            }
        }

        Drained = await WaitAsync(DrainedAsync, TimeSpan.FromSeconds(ClaimSeconds + MessageLeaseSeconds) + Slack);
        DrainTime = drain.Elapsed;
        figures.Add($"paused and drained after {DrainTime.TotalSeconds:0.0} s (drained: {Drained}); queue health {QueueHealth}");
        stage = "done";
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["AzureFunctionsWebHost__hostid"] = "scale-out-" + Guid.NewGuid().ToString("N")[..12],
        ["Database__Provider"] = "postgres",
        ["Database__ConnectionString"] = postgres!.ConnectionString,
        ["Society__Dispatch"] = "queue",
        ["Society__InitialPace"] = "fast",
        ["Society__ClaimSeconds"] = Text(ClaimSeconds),
        ["Society__ModelTimeoutSeconds"] = Text(ModelTimeoutSeconds),
        ["Society__QueueBatchSize"] = Text(QueueBatchSize),
        ["Usage__DefaultDailyTokenCap"] = "100000000",
        ["HeartbeatSchedule"] = HeartbeatSchedule,
        ["CompressMemorySchedule"] = "0 0 0 1 1 *",
        ["DevHost__QueueMessageLeaseSeconds"] = Text(MessageLeaseSeconds),
        ["DevHost__TimerLeaseSeconds"] = Text(TimerLeaseSeconds),
    };
}
