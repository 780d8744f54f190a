using System.Diagnostics;

namespace BotSociety.DevHost.Worker;

/// <summary>One running worker process: its output goes to devhost's console and to <see cref="Output"/>.</summary>
internal sealed partial class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly ILogger logger;

    private WorkerProcess(Process process, WorkerOutput output, ILogger logger)
    {
        this.process = process;
        this.logger = logger;
        Output = output;
        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
    }

    public int Id { get; private set; }

    public WorkerOutput Output { get; }

    /// <summary>The exit code, once the process has exited and its output is fully read.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(-1);

    public static async Task<WorkerProcess> StartAsync(ProcessStartInfo info, ProcessLauncher launcher, WorkerOutput output, ILogger logger)
    {
        var worker = new WorkerProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, output, logger);
        try
        {
            await launcher.StartAsync(worker.process);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            worker.Dispose();
            throw new WorkerStartException($"'{info.FileName}' could not be started: {e.Message}");
        }

        worker.Id = worker.process.Id;
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        worker.Exited = worker.WaitForExitAsync();
        return worker;
    }

    /// <summary>Kills the worker and anything it started; harmless when it has already exited.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose() => process.Dispose();

    private async Task<int> WaitForExitAsync()
    {
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private void Forward(string? line, bool isError)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        Output.Add(line);
        if (isError)
        {
            LogStandardError(logger, line);
        }
        else
        {
            LogStandardOutput(logger, line);
        }
    }

    // Lines the worker prints carry no invocation id, so they cannot be tied to a function.
    [LoggerMessage(Level = LogLevel.Information, Message = "[worker] {Line}")]
    private static partial void LogStandardOutput(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[worker] {Line}")]
    private static partial void LogStandardError(ILogger logger, string line);
}
