using System.Net;
using System.Text.Json;

namespace BotSociety.DevHost.Tests.EndToEnd;

public sealed class FailingFunctionTests
{
    [Fact]
    public async Task FunctionThatThrowsGives500ProblemAndDevHostStaysUp()
    {
        using var folder = new SocietyFolder();
        await using var devHost = DevHostProcess.Start(folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        using (var healthy = await devHost.Http.GetAsync(new Uri("/api/bots", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // Garbage over the database (in place, so the worker's open connections read it too) makes the query throw.
        foreach (var file in Directory.EnumerateFiles(folder.Path, "society.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            var garbage = new byte[Math.Max(stream.Length, 4096)];
            Random.Shared.NextBytes(garbage);
            await stream.WriteAsync(garbage);
        }

        using var failed = await devHost.Http.GetAsync(new Uri("/api/bots", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var text = await failed.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        // The answer names the invocation, never the exception; the log holds the exception under that id.
        var invocationId = problem.RootElement.GetProperty("invocation_id").GetString()!;
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", text, StringComparison.Ordinal);
        await devHost.WaitForLineAsync($"[ListBots] Invocation {invocationId} failed and answered 500");

        // devhost (and its worker) still answer: health reports the broken database instead of failing to connect.
        using var health = await devHost.Http.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.True(health.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
            $"health answered {health.StatusCode}: {await health.Content.ReadAsStringAsync()}\n{devHost.Output}");
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.True(report.RootElement.TryGetProperty("status", out _));
    }
}
