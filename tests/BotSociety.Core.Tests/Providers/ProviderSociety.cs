using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotSociety.Core.Tests.Providers;

/// <summary>A test society whose real providers point at fake servers on 127.0.0.1, with every log line captured.</summary>
internal static class ProviderSociety
{
    /// <summary>A key shaped like a real one, so a leak of it is easy to find anywhere.</summary>
    public const string FakeKey = "sk-test-FAKE-KEY-0123456789abcdefghijklmnopqrstuv";

    public static async Task<TestSociety> StartAsync(
        FakeHttpServer? server, CapturedLogs logs, IDictionary<string, string?>? extra = null, RecordingPublisher? publisher = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Models:MaxRetries"] = "1",
            ["Models:RetryDelayMilliseconds"] = "10",
            ["Models:AttemptTimeoutSeconds"] = "5",
            ["Society:ModelTimeoutSeconds"] = "20",
        };
        if (server is not null)
        {
            settings["Models:Anthropic:ApiKey"] = FakeKey;
            settings["Models:Anthropic:BaseUrl"] = server.Url;
            settings["Models:OpenAI:ApiKey"] = FakeKey;
            settings["Models:OpenAI:Endpoint"] = server.Url + "/v1";
            settings["Models:Ollama:Endpoint"] = server.Url;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return await TestSociety.StartAsync(
            services: services =>
            {
                logs.Install(services);
                if (publisher is not null)
                {
                    services.Replace(ServiceDescriptor.Singleton<Realtime.IEventPublisher>(publisher));
                }
            },
            settings: settings);
    }

    /// <summary>Gives <paramref name="name"/> the model settings, as the config API would, and makes only that bot due.</summary>
    public static async Task<int> UseModelAsync(this TestSociety society, string name, ModelSection model)
    {
        await using (var db = society.Db())
        {
            var bot = await db.Bots.SingleAsync(b => b.Name == name);
            bot.PersonalityConfig = bot.PersonalityConfig with { Model = model };
            await db.SaveChangesAsync();
        }

        await society.OnlyDueAsync(name);
        return await society.BotIdAsync(name);
    }

    /// <summary>Runs one tick without advancing the clock past the bots made due.</summary>
    public static Task<TickReport> TickNowAsync(this TestSociety society) => society.Engine.RunTickAsync(CancellationToken.None);

    public static async Task<List<Simulation.ActivityLogEntry>> ActivityAsync(this TestSociety society, int botId)
    {
        await using var db = society.Db();
        return await db.ActivityLog.AsNoTracking().Where(a => a.BotId == botId).OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>One bot's rows of the usage report (the API's <c>/api/stats/usage</c>) over the society's last 7 days.</summary>
    public static async Task<IReadOnlyList<UsageDay>> UsageReportAsync(this TestSociety society, int botId)
    {
        var stats = society.Services.GetRequiredService<StatsQueries>();
        var (range, errors) = UsageRange.Parse(null, null, botId.ToString(System.Globalization.CultureInfo.InvariantCulture), stats.Today);
        Assert.Empty(errors);
        return (await stats.UsageAsync(range, CancellationToken.None)).Items;
    }

    public static System.Text.Json.Nodes.JsonNode Details(this Simulation.ActivityLogEntry entry) => System.Text.Json.Nodes.JsonNode.Parse(entry.Details)!;

    /// <summary>Everything a bot's row, usage and activity hold, as text, to search for secrets.</summary>
    public static async Task<string> StoredTextAsync(this TestSociety society)
    {
        await using var db = society.Db();
        var activity = await db.ActivityLog.AsNoTracking().Select(a => a.Details + " " + a.Model).ToListAsync();
        var bots = await db.Bots.AsNoTracking().Select(b => b.PausedReason + " " + b.Name).ToListAsync();
        var traces = await db.ModelTraces.AsNoTracking().Select(t => t.Messages + " " + t.Completion + " " + t.Failure).ToListAsync();
        var bot = society.Services.GetRequiredService<BotQueries>();
        var answers = new List<string>();
        foreach (var id in await db.Bots.Select(b => b.Id).ToListAsync())
        {
            answers.Add(System.Text.Json.JsonSerializer.Serialize(await bot.GetAsync(id, CancellationToken.None), SocietyJson.Options));
        }

        return string.Join("\n", activity.Concat(bots).Concat(traces).Concat(answers));
    }
}
