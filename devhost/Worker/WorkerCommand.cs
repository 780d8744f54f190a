using System.Diagnostics;
using System.Globalization;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Worker;

/// <summary>The worker's command line, environment and folder, exactly as the Functions host starts a .NET isolated worker.</summary>
internal static class WorkerCommand
{
    // Linux: setpriv sets PR_SET_PDEATHSIG before it execs the worker, so the kernel kills the worker when devhost
    // dies, even by SIGKILL, when no shutdown code runs.
    private const string Setpriv = "/usr/bin/setpriv";

    // setsid puts the worker in a session of its own, so a Ctrl-C at the terminal reaches devhost only and
    // devhost alone stops the worker (WorkerTerminate, then a kill), instead of both racing to shut it down.
    private const string Setsid = "/usr/bin/setsid";
    private const string MaxMessageLength = "2147483647";

    public static ProcessStartInfo Create(string scriptRoot, WorkerConfig config, AppSettings settings, Uri rpcUri, string workerId)
    {
        var requestId = Guid.NewGuid().ToString();
        var info = new ProcessStartInfo
        {
            WorkingDirectory = scriptRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        if (File.Exists(Setpriv))
        {
            info.FileName = Setpriv;
            string[] prefix = File.Exists(Setsid) ? ["--pdeathsig", "KILL", "--", Setsid, config.Executable] : ["--pdeathsig", "KILL", "--", config.Executable];
            foreach (var argument in prefix)
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = config.Executable;
        }

        // The host passes the old and the new spellings; worker 2.x reads only the --functions-* ones.
        foreach (var argument in (string[])[
            config.WorkerPath,
            "--host", rpcUri.Host, "--port", rpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", MaxMessageLength,
            "--functions-uri", rpcUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", MaxMessageLength])
        {
            info.ArgumentList.Add(argument);
        }

        // App settings first, then the host's own variables, which the worker needs whatever the settings say.
        // As with `func start`, a variable already set in the environment wins over local.settings.json.
        foreach (var (name, value) in settings.Values)
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                info.Environment[name] = value;
            }
        }

        foreach (var (name, value) in settings.WorkerOverrides)
        {
            info.Environment[name] = value;
        }

        info.Environment["FUNCTIONS_WORKER_DIRECTORY"] = scriptRoot;
        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = scriptRoot;
        if (!info.Environment.TryGetValue("FUNCTIONS_WORKER_RUNTIME_VERSION", out var runtimeVersion) || string.IsNullOrEmpty(runtimeVersion))
        {
            info.Environment["FUNCTIONS_WORKER_RUNTIME_VERSION"] = $"{Environment.Version.Major}.{Environment.Version.Minor}";
        }

        return info;
    }
}
