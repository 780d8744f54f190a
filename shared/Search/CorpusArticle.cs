using System.Text.Json;
using BotSociety.Core.Data;

namespace BotSociety.Core.Search;

/// <summary>One article of the offline corpus the team wrote for the bots' interests.</summary>
public sealed record CorpusArticle(string Id, string Topic, string Title, string Body)
{
    /// <summary>Every article embedded in the library, ordered by id.</summary>
    public static IReadOnlyList<CorpusArticle> LoadEmbedded()
    {
        var assembly = typeof(CorpusArticle).Assembly;
        var articles = new List<CorpusArticle>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("corpus/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    articles.Add(JsonSerializer.Deserialize<CorpusArticle>(line, SocietyJson.Options)
                        ?? throw new InvalidOperationException($"Corpus file {name} has an empty line."));
                }
            }
        }

        return articles.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
    }
}
