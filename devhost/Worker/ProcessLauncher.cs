using System.Collections.Concurrent;
using System.Diagnostics;

namespace BotSociety.DevHost.Worker;

/// <summary>
/// Starts worker processes from one dedicated thread that lives as long as devhost. PR_SET_PDEATHSIG fires when
/// the *thread* that forked the child exits, not the process: started from a thread-pool thread, the worker would
/// be killed whenever the pool retires that thread. The thread is never stopped for the same reason.
/// </summary>
internal sealed class ProcessLauncher
{
    private readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> requests = [];

    public ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "devhost worker launcher" };
        thread.Start();
    }

    /// <summary>Calls <see cref="Process.Start()"/> on the launcher thread.</summary>
    public Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        requests.Add((process, started));
        return started.Task;
    }

    private void Run()
    {
        foreach (var (process, started) in requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                started.SetException(e);
            }
        }
    }
}
