using System.Net.Sockets;
using BotSociety.DevHost.Hosting;
using BotSociety.DevHost.Rpc;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Worker;

/// <summary>
/// Keeps one worker running: launches it, does the handshake, announces readiness, restarts it with backoff when
/// it dies, and stops it with devhost. Invocations go to whichever worker is current.
/// </summary>
internal sealed partial class WorkerSupervisor(
    DevHostOptions options,
    AppSettings settings,
    HostJson hostJson,
    WorkerConfig workerConfig,
    WorkerRendezvous rendezvous,
    WorkerReadiness readiness,
    ProcessLauncher launcher,
    WorkerRpcEndpoint rpcEndpoint,
    FunctionCatalog catalog,
    IOutputBindings outputBindings,
    DevHostExit exit,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    ILogger<WorkerSupervisor> logger) : BackgroundService, IHostedLifecycleService, IFunctionInvoker
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TerminateGracePeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    // Starts of the first worker that may fail because another process took the HTTP port it picked.
    private const int MaxPortTaken = 3;

    // A worker that ran this long before dying crashed afresh; its restart starts again from the shortest backoff.
    private static readonly TimeSpan StableUptime = TimeSpan.FromSeconds(60);

    private readonly ILogger workerLogger = loggerFactory.CreateLogger("worker");
    private readonly CancellationTokenSource shutdown = new();
    private volatile WorkerChannel? current;
    private volatile WorkerChannel? launchedChannel;
    private volatile WorkerProcess? launchedProcess;

    /// <summary>The worker ready for invocations; null while it starts or restarts.</summary>
    public WorkerChannel? Current => current;

    public Task<InvocationResult> InvokeAsync(string functionName, InvocationRequest request, CancellationToken cancellationToken)
    {
        var worker = current ?? throw new WorkerUnavailableException("the worker is not ready (it is starting or restarting)");
        return worker.Functions.TryGetValue(functionName, out var function)
            ? worker.InvokeAsync(function, request, cancellationToken)
            : throw new WorkerUnavailableException($"the worker has no function '{functionName}'");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping, shutdown.Token);
        try
        {
            await SuperviseAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // devhost is stopping; StoppingAsync stops the worker.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without supervision devhost would stay up with no worker behind it; better to stop and say why.
            exit.Fail($"supervising the worker failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        await WhenServerStartedAsync(cancellationToken);
        var rpcUri = rpcEndpoint.Resolve();
        var backoff = TimeSpan.Zero;
        var announced = false;
        var portTaken = 0;
        while (true)
        {
            WorkerChannel worker;
            WorkerProcess process;
            var launchedAt = timeProvider.GetTimestamp();
            readiness.Launching();
            try
            {
                (process, worker) = await StartWorkerAsync(rpcUri, cancellationToken);
                readiness.Launched(timeProvider.GetElapsedTime(launchedAt));
            }
            catch (WorkerStartException e) when (!announced && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) && ++portTaken <= MaxPortTaken)
            {
                // The worker picks its own HTTP port (the Functions SDK finds a free one, then binds it), and another
                // process can take it in between: no fault of the app. Started again, the worker picks another port.
                LogPortTaken(logger, portTaken, MaxPortTaken);
                continue;
            }
            catch (WorkerStartException e) when (!announced)
            {
                exit.Fail($"the worker failed to start: {e.Message}");
                return;
            }
            catch (WorkerStartException e)
            {
                backoff = Longer(backoff);
                LogRestartFailed(logger, e.Message, backoff.TotalSeconds);
                readiness.Restarting(backoff);
                await Task.Delay(backoff, timeProvider, cancellationToken);
                continue;
            }

            if (!announced)
            {
                try
                {
                    catalog.Load([.. worker.Functions.Values]);
                }
                catch (DevHostStartupException e)
                {
                    exit.Fail(e.Message);
                    return;
                }

                announced = true;
                Console.Out.WriteLine($"devhost: worker ready with {worker.Functions.Count} functions; listening on {options.PublicUri.GetLeftPart(UriPartial.Authority)}");
            }
            else
            {
                LogRestarted(logger, process.Id);
            }

            current = worker;
            var startedAt = timeProvider.GetUtcNow();
            var exitCode = await process.Exited.WaitAsync(cancellationToken);

            current = null;
            worker.Close($"the worker exited with code {exitCode}");
            backoff = timeProvider.GetUtcNow() - startedAt > StableUptime ? TimeSpan.FromSeconds(1) : Longer(backoff);
            readiness.Restarting(backoff);
            LogWorkerExited(logger, process.Id, exitCode, process.Output.Tail(), backoff.TotalSeconds);
            process.Dispose();
            await Task.Delay(backoff, timeProvider, cancellationToken);
        }
    }

    /// <summary>Launches a worker and runs the handshake; on any failure the process is killed and the reason thrown.</summary>
    private async Task<(WorkerProcess Process, WorkerChannel Channel)> StartWorkerAsync(Uri rpcUri, CancellationToken cancellationToken)
    {
        var workerId = Guid.NewGuid().ToString();
        var output = new WorkerOutput();
        var channel = new WorkerChannel(workerId, output, hostJson.MinimumLevel, outputBindings, timeProvider, workerLogger);
        rendezvous.Expect(channel);
        launchedChannel = channel;
        WorkerProcess? process = null;
        var step = "before it connected";
        try
        {
            var command = WorkerCommand.Create(options.ScriptRoot, workerConfig, settings, rpcUri, workerId);
            process = await WorkerProcess.StartAsync(command, launcher, output, workerLogger);
            launchedProcess = process;
            LogWorkerStarted(logger, process.Id);

            using var timeout = new CancellationTokenSource(HandshakeTimeout, timeProvider);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await UntilExitAsync(process, channel.Connected, step, handshake.Token);
                step = "during the handshake";
                var functions = await UntilExitAsync(process, channel.InitializeAsync(options.ScriptRoot, handshake.Token), step, handshake.Token);
                if (channel.HttpUri is { } httpUri)
                {
                    step = "before its HTTP endpoint came up";
                    await UntilExitAsync(process, WaitForHttpAsync(httpUri, handshake.Token), step, handshake.Token);
                }
                else if (functions.Any(f => f.IsTriggeredBy("httpTrigger")))
                {
                    throw new WorkerStartException("it reported no HttpUri capability; devhost forwards HTTP only to workers using the ASP.NET Core integration (ConfigureFunctionsWebApplication)");
                }

                LogHandshakeDone(logger, process.Id, functions.Count, channel.HttpUri);
                return (process, channel);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new WorkerStartException($"it did not finish the handshake within {HandshakeTimeout.TotalSeconds:0} s (stuck {step})");
            }
            catch (WorkerUnavailableException e)
            {
                // The stream closed under the handshake: the process is exiting; report its exit code if it comes soon.
                var exited = await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromSeconds(2), timeProvider, CancellationToken.None));
                throw new WorkerStartException(exited == process.Exited
                    ? $"it exited with code {await process.Exited} {step}"
                    : $"{e.Message} {step}");
            }
        }
        catch (WorkerStartException e)
        {
            channel.Close(e.Message);
            process?.Kill();
            if (process is not null)
            {
                // Its last words are only complete once its output is fully read.
                await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromSeconds(2), timeProvider, CancellationToken.None));
            }

            throw new WorkerStartException($"{e.Message}; last output: {output.Tail()}");
        }
        catch (OperationCanceledException)
        {
            channel.Close("devhost is stopping");
            process?.Kill();
            throw;
        }
        finally
        {
            rendezvous.Forget(channel);
        }
    }

    /// <summary>Awaits <paramref name="task"/> unless the worker exits first, which then is the error.</summary>
    private static async Task<T> UntilExitAsync<T>(WorkerProcess process, Task<T> task, string step, CancellationToken cancellationToken)
    {
        await UntilExitAsync(process, (Task)task, step, cancellationToken);
        return await task;
    }

    private static async Task UntilExitAsync(WorkerProcess process, Task task, string step, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(task, process.Exited).WaitAsync(cancellationToken);
        if (first == process.Exited && !task.IsCompletedSuccessfully)
        {
            throw new WorkerStartException($"it exited with code {await process.Exited} {step}");
        }

        await task;
    }

    // The worker reports HttpUri before its Kestrel is necessarily listening; the first forwarded request must not race it.
    private async Task WaitForHttpAsync(Uri httpUri, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(httpUri.Host, httpUri.Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
            }
        }
    }

    private async Task WhenServerStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    private static TimeSpan Longer(TimeSpan backoff) =>
        backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));

    /// <summary>Stops the worker before the server drains its requests: the worker's EventStream is one of them.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await shutdown.CancelAsync();
        current = null;
        if (launchedProcess is not { } process || process.Exited.IsCompleted)
        {
            // None started, or the last one already died and was reported.
            return;
        }

        launchedChannel?.Terminate(TerminateGracePeriod);
        try
        {
            var exitCode = await process.Exited.WaitAsync(TerminateGracePeriod, timeProvider, cancellationToken);
            LogWorkerStopped(logger, process.Id, exitCode);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogWorkerKilled(logger, process.Id, TerminateGracePeriod.TotalSeconds);
        }

        process.Kill();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        shutdown.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker started (pid {Pid})")]
    private static partial void LogWorkerStarted(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Pid} finished the handshake: {Count} functions, HTTP at {HttpUri}")]
    private static partial void LogHandshakeDone(ILogger logger, int pid, int count, Uri? httpUri);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Pid} exited unexpectedly with code {ExitCode}; last output: {Output}. Restarting in {Seconds} s")]
    private static partial void LogWorkerExited(ILogger logger, int pid, int exitCode, string output, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The worker's HTTP port was taken by another process before the worker bound it; starting it again ({Attempt} of {Attempts})")]
    private static partial void LogPortTaken(ILogger logger, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The restarted worker failed to start: {Reason}. Trying again in {Seconds} s")]
    private static partial void LogRestartFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker restarted (pid {Pid}) and ready")]
    private static partial void LogRestarted(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Pid} stopped with code {ExitCode}")]
    private static partial void LogWorkerStopped(ILogger logger, int pid, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Pid} did not stop within {Seconds} s of WorkerTerminate; killed it")]
    private static partial void LogWorkerKilled(ILogger logger, int pid, double seconds);
}
