using System.Diagnostics;
using System.Net;
using BotSociety.DevHost.Tests.Storage;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>
/// Two devhosts running the real worker on one Azurite with one host id behave as two instances of one app: a
/// timer fires on one of them only, and when that one is killed the other takes the timer over. And storage that
/// is set but not running costs one line per function, not the timers.
/// </summary>
public sealed class ScaleOutTests(Azurite azurite) : IClassFixture<Azurite>
{
    private const string EveryTwoSeconds = "*/2 * * * * *";
    private const int LeaseSeconds = 15;
    private const string Holds = "Timer CompressMemory: this devhost holds the lease";
    private const string Waits = "Timer CompressMemory: another devhost holds the lease";
    private const string Ran = "[CompressMemory] Executed (Succeeded";

    [Fact]
    public async Task TimerFiresOnOneDevHostAndTheOtherTakesOverWhenItIsKilled()
    {
        var values = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["AzureFunctionsWebHost__hostid"] = "scale-out-test",
            ["DevHost__TimerLeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CompressMemorySchedule"] = EveryTwoSeconds,
        };
        using var firstSociety = new SocietyFolder(extraValues: values);
        using var secondSociety = new SocietyFolder(extraValues: values);
        await using var first = DevHostProcess.Start(firstSociety.SettingsPath);
        await first.WaitUntilHealthyAsync();
        await first.WaitForLineAsync(Holds, TimeSpan.FromSeconds(20));
        await using var second = DevHostProcess.Start(secondSociety.SettingsPath);
        await second.WaitUntilHealthyAsync();
        await second.WaitForLineAsync(Waits, TimeSpan.FromSeconds(20));

        await first.WaitForLineAsync(Ran, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(0, second.CountLines(Ran));
        Assert.Equal(0, second.CountLines(Holds));

        // The admin API runs a timer on the devhost asked, lease or not, as the host's admin API does.
        using (var run = await second.Http.PostAsync(new Uri("/admin/functions/CompressMemory", UriKind.Relative), content: null))
        {
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        }

        await second.WaitForLineAsync(Ran);
        var ranByHand = second.CountLines(Ran);

        first.KillHard();
        var sinceKill = Stopwatch.StartNew();
        await second.WaitForLineAsync(Holds, TimeSpan.FromSeconds(LeaseSeconds + 15));
        Assert.True(sinceKill.Elapsed < TimeSpan.FromSeconds((LeaseSeconds * 1.25) + 6), $"took over after {sinceKill.Elapsed.TotalSeconds:0.0} s");
        await Wait.UntilAsync(() => second.CountLines(Ran) > ranByHand, TimeSpan.FromSeconds(10), () => $"the second devhost did not fire the timer:\n{second.Output}");
    }

    [Fact]
    public async Task StorageThatDoesNotAnswerCostsOneLineAndTimersStillFire()
    {
        var closedPort = DevHostProcess.FreePort();
        using var society = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;",
            ["CompressMemorySchedule"] = EveryTwoSeconds,
        });
        await using var devHost = DevHostProcess.Start(society.SettingsPath);
        await devHost.WaitUntilHealthyAsync();

        await devHost.WaitForLineAsync("Queue trigger RunHeartbeats is not listening on queue 'heartbeats': AzureWebJobsStorage");
        await devHost.WaitForLineAsync("Timers fire on this devhost without the singleton lease");
        await devHost.WaitForLineAsync(Ran);
        Assert.Equal(1, devHost.CountLines("is not listening"));
    }
}
