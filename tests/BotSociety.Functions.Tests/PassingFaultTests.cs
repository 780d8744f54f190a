using System.Net;
using System.Text;
using System.Text.Json;
using BotSociety.DevHost.Tests.EndToEnd;
using Microsoft.Data.Sqlite;

namespace BotSociety.Functions.Tests;

/// <summary>
/// A database locked past the busy timeout (10 s) by another process: writes answer 503 problem details with
/// Retry-After and no exception text, health says "degraded" with the cause, and both recover with the next write.
/// </summary>
public sealed class PassingFaultTests
{
    [Fact]
    public async Task ALockedDatabaseIs503WithRetryAfterAndHealthSaysDegradedUntilAWriteSucceeds()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();

        await using (var holder = new SqliteConnection($"Data Source={folder.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var take = holder.CreateCommand())
            {
                // Another writer holding the write lock, as a backup tool or a second app on the same file would.
                take.CommandText = "BEGIN IMMEDIATE";
                await take.ExecuteNonQueryAsync();
            }

            using var locked = await PutPaceAsync(devHost, "slow");
            var text = await locked.Content.ReadAsStringAsync();
            Assert.True(locked.StatusCode == HttpStatusCode.ServiceUnavailable, $"{locked.StatusCode}: {text}");
            Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
            Assert.True(locked.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "Retry-After is a number of seconds");
            using (var problem = JsonDocument.Parse(text))
            {
                Assert.Equal("locked", problem.RootElement.GetProperty("cause").GetString());
                Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("invocation_id").GetString()));
            }

            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite Error", text, StringComparison.Ordinal);

            using var health = await devHost.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
            var healthText = await health.Content.ReadAsStringAsync();
            using var report = JsonDocument.Parse(healthText);
            Assert.True(health.StatusCode == HttpStatusCode.ServiceUnavailable, $"{health.StatusCode}: {healthText}\n{devHost.Output}");
            Assert.Equal("degraded", report.RootElement.GetProperty("status").GetString());
            Assert.Equal("locked", report.RootElement.GetProperty("cause").GetString());
        }

        // The lock is gone: nothing of the refused write was kept, the next one succeeds, and health is back.
        using (var pace = await devHost.Http.GetAsync(new Uri("/api/pace", UriKind.Relative)))
        {
            using var view = JsonDocument.Parse(await pace.Content.ReadAsStringAsync());
            Assert.Equal("normal", view.RootElement.GetProperty("pace").GetString());
        }

        using (var written = await PutPaceAsync(devHost, "slow"))
        {
            Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        }

        using var healthy = await devHost.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    private static Task<HttpResponseMessage> PutPaceAsync(DevHostProcess devHost, string pace) =>
        devHost.Http.PutAsync(new Uri("/api/pace", UriKind.Relative), new StringContent($$"""{"pace": "{{pace}}"}""", Encoding.UTF8, "application/json"));
}
