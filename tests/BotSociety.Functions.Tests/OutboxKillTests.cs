using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BotSociety.Core.Tests;
using BotSociety.DevHost.Tests.EndToEnd;
using Microsoft.Data.Sqlite;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The worker is killed with SIGKILL after a tick's commit, while it sends the tick's events: devhost starts a new
/// worker, and the events reach the live stream's service once each (the transactional outbox, shared/Realtime).
/// </summary>
public sealed class OutboxKillTests
{
    private const string AccessKey = "outbox-kill-test-access-key-0123456789abcdef";

    [Fact]
    public async Task EventsOfAWorkerKilledBetweenCommitAndSendingArriveOnceEachAfterItsRestart()
    {
        // The service first takes each send and never answers (the worker is killed in that wait), then accepts. What
        // the dead worker sent is not counted: its connection is gone, and a real service that had passed it on would
        // have made a second copy, which the dashboard drops by id (static-web/src/state/stream.ts).
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstSend = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = new ConcurrentQueue<string>();
        using var service = FakeHttpServer.StartAsync(async (request, _) =>
        {
            var fromTheDeadWorker = !open.Task.IsCompleted;
            firstSend.TrySetResult();
            await open.Task;
            if (!fromTheDeadWorker)
            {
                accepted.Enqueue(request.Json["id"]!.GetValue<string>());
            }

            return new FakeHttpServer.Reply(202, "");
        });
        using var folder = new SocietyFolder(extraValues: new Dictionary<string, string>
        {
            ["Realtime__ConnectionString"] = $"Endpoint=http://127.0.0.1;Port={service.Port};AccessKey={AccessKey};Version=1.0;",
            ["Realtime__PublishTimeoutSeconds"] = "5",
        });
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        var worker = devHost.LatestWorkerPid();

        // The tick commits its activity and its events together, then hangs on the first send.
        var tick = devHost.Http.PostAsync(new Uri("/admin/functions/Heartbeat", UriKind.Relative), content: null);
        await firstSend.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Process.GetProcessById(worker).Kill();
        try
        {
            using var _ = await tick;
        }
        catch (HttpRequestException)
        {
            // devhost may drop the admin call whose worker died.
        }

        var committed = await EventIdsAsync(folder.DatabasePath);
        Assert.NotEmpty(committed);
        Assert.Empty(accepted);
        open.SetResult();

        // The new worker sends them once the dead one's hold on them has ended (the publish deadline and 10 s).
        var deadline = Stopwatch.StartNew();
        while (accepted.Count < committed.Count && deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(250);
        }

        Assert.NotEqual(worker, devHost.LatestWorkerPid());
        Assert.Equal(committed.Order(), accepted.Order());
        using var health = await devHost.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        var realtime = report.RootElement.GetProperty("realtime");
        Assert.Equal((0, 0), (realtime.GetProperty("events_pending").GetInt64(), realtime.GetProperty("events_lost").GetInt64()));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<List<string>> EventIdsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id FROM activity_log ORDER BY id";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
