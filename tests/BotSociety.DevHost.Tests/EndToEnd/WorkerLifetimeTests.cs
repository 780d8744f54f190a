using System.Diagnostics;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>The worker lives and dies with devhost, and comes back when it crashes.</summary>
public sealed class WorkerLifetimeTests
{
    [Fact]
    public async Task KillingDevHostWithSigkillLeavesNoWorker()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        var worker = devHost.LatestWorkerPid();
        Assert.Contains(worker, DevHostProcess.ChildrenOf(devHost.Pid));
        Assert.Contains("BotSociety.Functions.dll", DevHostProcess.CommandLineOf(worker), StringComparison.Ordinal);

        devHost.KillHard();

        await Eventually(() => !DevHostProcess.IsRunning(worker), $"worker {worker} outlived its SIGKILLed devhost");
    }

    [Fact]
    public async Task SigtermStopsTheWorkerAndDevHostExitsZero()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        var worker = devHost.LatestWorkerPid();

        await devHost.TerminateAsync();

        Assert.Equal(0, await devHost.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Eventually(() => !DevHostProcess.IsRunning(worker), $"worker {worker} outlived devhost's shutdown");
        await devHost.WaitForLineAsync($"Worker {worker} stopped with code 0");
    }

    [Fact]
    public async Task CrashedWorkerIsRestartedAndServesAgain()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        var first = devHost.LatestWorkerPid();

        using (var worker = Process.GetProcessById(first))
        {
            worker.Kill();
        }

        await Eventually(() => devHost.CountLines("Worker restarted") == 1, "devhost did not restart the worker");
        Assert.NotEqual(first, devHost.LatestWorkerPid());
        await devHost.WaitForLineAsync($"Worker {first} exited unexpectedly with code 137");
        await devHost.WaitUntilHealthyAsync();
    }

    private static async Task Eventually(Func<bool> condition, string failure)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(100);
        }
    }
}
