using System.Net;
using BotSociety.DevHost.Tests.Storage;

namespace BotSociety.DevHost.Tests.EndToEnd;

/// <summary>The real worker's queue-triggered function (RunHeartbeats on <c>heartbeats</c>) fed by devhost from Azurite.</summary>
public sealed class QueueTriggerEndToEndTests(Azurite azurite) : IClassFixture<Azurite>
{
    [Fact]
    public async Task GarbageOnTheQueueEndsInPoisonWithTheFunctionsErrorAndDevHostKeepsServing()
    {
        using var society = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Society__Dispatch"] = "queue",
        });
        await using var devHost = DevHostProcess.Start(society.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        await devHost.WaitForLineAsync("Queue trigger RunHeartbeats listens on queue 'heartbeats'");
        var queue = azurite.Queues.GetQueueClient("heartbeats");
        var poison = azurite.Queues.GetQueueClient("heartbeats-poison");

        // Not base64 at all, and base64 of something that is no heartbeat batch.
        await queue.SendMessageAsync("%%% garbage %%%");
        var notABatch = Messages.Base64("this is not a heartbeat batch");
        await queue.SendMessageAsync(notABatch);

        await Wait.UntilAsync(async () => (await Messages.PeekAsync(poison)).Count == 2, TimeSpan.FromSeconds(30), () => $"the poison queue did not get both:\n{devHost.Output}");
        Assert.Equal(new[] { "%%% garbage %%%", notABatch }.Order(StringComparer.Ordinal), (await Messages.PeekAsync(poison)).Order(StringComparer.Ordinal));
        // devhost writes the poison copy first and deletes the original after it, as the host does: the original leaves
        // the queue a moment after its copy shows (a loaded machine once counted it in between).
        await Wait.UntilAsync(async () => await Messages.CountAsync(queue) == 0, TimeSpan.FromSeconds(10), () => $"the queue kept a poisoned message:\n{devHost.Output}");
        Assert.Equal(5, devHost.CountLines("[RunHeartbeats] Executed (Failed"));
        Assert.Equal(1, devHost.CountLines("MaxDequeueCount of 5. Moving message to queue 'heartbeats-poison'"));
        Assert.Equal(1, devHost.CountLines("is not base64 text"));

        // The app says why it refused the batch, and the operator's health report counts what ended in poison.
        Assert.Equal(5, devHost.CountLines("A heartbeat queue message was refused: the heartbeat batch message is not valid batch JSON"));
        using var health = await devHost.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var report = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var queueReport = report.RootElement.GetProperty("queue");
        Assert.Equal("queue", queueReport.GetProperty("dispatch").GetString());
        Assert.Equal(2, queueReport.GetProperty("poison").GetInt64());
        Assert.Equal(0, queueReport.GetProperty("pending").GetInt64());
    }
}
