using BotSociety.Core.Bots;
using BotSociety.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

public sealed class PersonaTests
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "personas");

    [Theory]
    [InlineData("skepticism: 92", "skepticism: 140", "behavior.skepticism")]
    [InlineData("behavior:\n", "behavior:\n  charisma: 5\n", "charisma")]
    [InlineData("engagement_style: reactive", "engagement_style: lurker", "behavior.engagement_style")]
    [InlineData("temperature: 0.4", "temperature: 1.5", "model.temperature")]
    [InlineData("communication_style: blunt", "communication_style: shouty", "personality.communication_style")]
    public async Task BrokenPersonaFileStopsStartNamingFileAndField(string find, string replace, string field)
    {
        using var personas = PersonaFolder.CopyShipped();
        personas.Edit("bram.yaml", text => text.Replace(find, replace, StringComparison.Ordinal));

        var error = await StartExpectingFailureAsync(personas.Path);

        Assert.Contains("bram.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingModelSectionStopsStart()
    {
        using var personas = PersonaFolder.CopyShipped();
        personas.Edit("bram.yaml", text => text[..text.IndexOf("\nmodel:", StringComparison.Ordinal)] + "\n");

        var error = await StartExpectingFailureAsync(personas.Path);

        Assert.Contains("bram.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("model is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShippedPersonasLoad()
    {
        await using var society = await TestSociety.StartAsync();
        await using var db = society.Db();
        var bots = await db.Bots.OrderBy(b => b.Id).ToListAsync();

        Assert.Equal(16, bots.Count);
        Assert.Equal(16, bots.Select(b => b.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(bots, b =>
        {
            Assert.Equal(ModelProviders.Offline, b.PersonalityConfig.Model.Provider);
            Assert.Empty(PersonalityConfigValidator.Validate(b.PersonalityConfig));
        });
        Assert.True(bots.Select(b => b.PersonalityConfig.Personality.CommunicationStyle).Distinct().Count() >= 6,
            "the personas speak in at least six different styles");
        Assert.Equal(
            Directory.GetFiles(Shipped, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal),
            bots.Select(b => b.PersonaKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindRereadsThePersonaFile()
    {
        using var personas = PersonaFolder.CopyShipped();
        await using var society = await TestSociety.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Society:PersonasDirectory"] = personas.Path,
        });
        var catalog = society.Services.GetRequiredService<PersonaCatalog>();
        Assert.Equal(92, catalog.Find("bram")!.Config.Behavior.Skepticism);

        // An operator edits the file while the society runs; "reset to defaults" must see the edit.
        personas.Edit("bram.yaml", text => text.Replace("skepticism: 92", "skepticism: 15", StringComparison.Ordinal));

        var reread = catalog.Find("bram");
        Assert.NotNull(reread);
        Assert.Equal(15, reread.Config.Behavior.Skepticism);
        Assert.Equal("Bram", reread.Name);
        Assert.Null(catalog.Find("nobody"));

        // The running bot keeps its config until someone resets it.
        await using var db = society.Db();
        Assert.Equal(92, (await db.Bots.SingleAsync(b => b.PersonaKey == "bram")).PersonalityConfig.Behavior.Skepticism);
    }

    private static async Task<PersonaFileException> StartExpectingFailureAsync(string personasPath)
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-persona-db-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<PersonaFileException>(() => TestSociety.StartAsync(
                folder: folder,
                settings: new Dictionary<string, string?> { ["Society:PersonasDirectory"] = personasPath }));

            // A broken persona stops start before the database is touched.
            Assert.False(await TestDatabase.IsCreatedAsync(folder), "no database is created");
            return error;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await TestDatabase.DropAsync(folder);
        }
    }

    /// <summary>A temporary copy of the shipped persona files that a test may break.</summary>
    private sealed class PersonaFolder : IDisposable
    {
        private PersonaFolder(string path) => Path = path;

        public string Path { get; }

        public static PersonaFolder CopyShipped()
        {
            var folder = new PersonaFolder(Directory.CreateTempSubdirectory("botsociety-personas-").FullName);
            foreach (var file in Directory.GetFiles(Shipped, "*.yaml"))
            {
                File.Copy(file, System.IO.Path.Combine(folder.Path, System.IO.Path.GetFileName(file)));
            }

            return folder;
        }

        public void Edit(string file, Func<string, string> change)
        {
            var path = System.IO.Path.Combine(Path, file);
            var before = File.ReadAllText(path);
            var after = change(before);
            Assert.NotEqual(before, after);
            File.WriteAllText(path, after);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
