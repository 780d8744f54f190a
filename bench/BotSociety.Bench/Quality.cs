using BotSociety.Core;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation.Quality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotSociety.Bench;

/// <summary>
/// Prints how a society reads to a person (issue 19), measured by <see cref="SocietyQuality"/> on a society file that
/// fast-forward made, with each threshold beside its figure. Reads only; the file is left as it was.
/// </summary>
internal static class Quality
{
    public static async Task<int> RunAsync(Options options)
    {
        var database = BenchDatabase.Existing(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.AddBotSocietyCore();
        using var host = builder.Build();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<BotSocietyDb>>().CreateDbContextAsync();
        var q = await SocietyQuality.MeasureAsync(db, CancellationToken.None);

        Console.WriteLine($"Quality of {database.Describe}");
        Line("Search results sharing a content word with their query", $"{q.SearchRelevance:P1} of {q.SearchResults}", $">= {SocietyQuality.MinSearchRelevance:P0}");
        Line("Warm facts on the bot's interests or its threads' topics", $"{q.FactsOnPersona:P1} of {q.WarmFacts} (lowest bot {q.FactsOnPersonaLowestBot:P0})", $">= {SocietyQuality.MinFactsOnPersona:P0}");
        Line("Relationship notes contradicting their sentiment or event", $"{q.ContradictingNotes} of {q.RelationshipNotes}", "0");
        Line("Posts repeating a sentence of the bot's same day (max, median)", $"{q.RepetitionMax:P1}, {q.RepetitionMedian:P1}", $"<= {SocietyQuality.MaxRepetitionShare:P0}");
        Line("Posts word for word another post", $"{q.DuplicatePosts} of {q.Posts}", "");
        Line("Commonest closing sentence", $"{q.CommonestEndingCount}x \"{Cut(q.CommonestEnding)}\"", "");
        Line("Threads answered within a simulated day", $"{q.ThreadsAnsweredWithinADay:P1} of {q.ThreadsOlderThanADay} a day old", $">= {SocietyQuality.MinThreadsAnswered:P0}");
        Line("Threads per reply", $"{q.ThreadsPerReply:0.00} ({q.Threads} threads, {q.Replies} replies)", $"<= {SocietyQuality.MaxThreadsPerReply:0.00}");
        Line("Bots, distinct names, numbered copies, distinct personas", $"{q.Bots}, {q.DistinctNames}, {q.NumberedCopies}, {q.DistinctPersonas}", "no copies");
        var misses = q.Misses();
        Console.WriteLine(misses.Count == 0 ? "Every threshold met." : "Missed: " + string.Join("; ", misses));
        return misses.Count == 0 ? 0 : 1;
    }

    private static void Line(string what, string figure, string threshold) =>
        Console.WriteLine($"  {what,-64} {figure}{(threshold.Length > 0 ? $"   (target {threshold})" : "")}");

    private static string Cut(string text) => text.Length <= 70 ? text : text[..69] + "…";
}
