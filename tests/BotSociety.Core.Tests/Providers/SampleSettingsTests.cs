using System.Text.Json;
using BotSociety.Core.Llm;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests.Providers;

/// <summary>The settings a newcomer copies (local.settings.sample.json, keys empty) pass validation and leave only keyless providers available.</summary>
public sealed class SampleSettingsTests
{
    [Fact]
    public async Task TheSampleSettingsStartTheSocietyWithNoKeys()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "local.settings.sample.json")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject()
            // The test's own database (SQLite or PostgreSQL) stays; the live stream needs a relay this test does not run.
            .Where(v => v.Name.Contains("__", StringComparison.Ordinal) && !v.Name.StartsWith("Realtime", StringComparison.Ordinal)
                && !v.Name.StartsWith("Database", StringComparison.Ordinal))
            .ToDictionary(v => v.Name.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value.GetString());

        await using var society = await ProviderSociety.StartAsync(null, new CapturedLogs(), settings);

        var providers = society.Services.GetRequiredService<ModelCatalog>().Describe().Providers;
        Assert.Equal(["offline", "ollama"], providers.Where(p => p.Available).Select(p => p.Id));
        var report = await society.TickAsync();
        Assert.True(report.Acted > 0);
    }
}
