using System.Net;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>One devhost running the real worker on a fresh society, shared by the tests of a class.</summary>
public sealed class DevHostFixture : IAsyncLifetime, IDisposable
{
    private readonly SocietyFolder folder = new();
    private DevHostProcess? devHost;

    internal DevHostProcess DevHost => devHost ?? throw new InvalidOperationException("The fixture is not started.");

    public HttpClient Http => DevHost.Http;

    public async Task InitializeAsync()
    {
        devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
    }

    /// <summary>
    /// Runs Heartbeat through the admin API until the activity feed has items. A fresh society's bots fall due
    /// a few seconds apart, so the first tick may find none due.
    /// </summary>
    public async Task EnsureActivityAsync()
    {
        for (var attempt = 0; attempt < 15; attempt++)
        {
            using var run = await Http.PostAsync(new Uri("/admin/functions/Heartbeat", UriKind.Relative), content: null);
            Assert.True(run.StatusCode == HttpStatusCode.Accepted, $"Heartbeat answered {run.StatusCode}: {await run.Content.ReadAsStringAsync()}\n{DevHost.Output}");
            using var feed = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/api/activity", UriKind.Relative)));
            if (feed.RootElement.GetProperty("items").GetArrayLength() > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"Heartbeat produced no activity after 15 runs:\n{DevHost.Output}");
    }

    public async Task DisposeAsync()
    {
        if (devHost is not null)
        {
            await devHost.DisposeAsync();
        }
    }

    // After DisposeAsync: the worker is gone by then, so its database can be deleted.
    public void Dispose() => folder.Dispose();
}
