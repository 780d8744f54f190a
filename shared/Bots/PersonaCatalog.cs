using BotSociety.Core.Simulation;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace BotSociety.Core.Bots;

/// <summary>A persona as its YAML file defines it: the defaults a bot starts from and resets to.</summary>
public sealed record Persona(string Key, string Name, PersonalityConfig Config, string FilePath);

/// <summary>Thrown when a persona file is missing, malformed or out of range; the message names the file and the field.</summary>
public sealed class PersonaFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the persona YAML files. They are read on every call rather than cached, so that
/// "reset to defaults" picks up an operator's edits without a restart.
/// </summary>
public sealed class PersonaCatalog(IOptions<SocietyOptions> options)
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public string Directory => options.Value.PersonasDirectory ?? Path.Combine(AppContext.BaseDirectory, "personas");

    /// <summary>Every persona, ordered by file name so seeding is repeatable.</summary>
    public IReadOnlyList<Persona> LoadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new PersonaFileException($"Persona directory '{Directory}' does not exist (setting Society:PersonasDirectory).");
        }

        var files = System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new PersonaFileException($"Persona directory '{Directory}' holds no *.yaml files.");
        }

        var personas = files.Select(Load).ToList();
        var duplicate = personas.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PersonaFileException(
                $"{string.Join(" and ", duplicate.Select(p => p.FilePath))}: name '{duplicate.Key}' is used twice; bot names must be unique.");
        }

        return personas;
    }

    /// <summary>
    /// The first <paramref name="count"/> members of a society: the shipped personas in file order, then people made
    /// for the seed by <see cref="PersonaGenerator"/> (never numbered copies of the shipped ones).
    /// </summary>
    public IReadOnlyList<Persona> People(int count, long seed)
    {
        var shipped = LoadAll();
        var people = shipped.Take(count).ToList();
        var taken = shipped.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; people.Count < count; i++)
        {
            people.Add(PersonaGenerator.Generate(shipped, i, seed, taken));
        }

        return people;
    }

    /// <summary>The persona stored under <paramref name="key"/> (its file name without extension), or null.</summary>
    public Persona? Find(string key)
    {
        var path = Path.Combine(Directory, key + ".yaml");
        return File.Exists(path) ? Load(path) : null;
    }

    public static Persona Load(string path)
    {
        PersonaDocument document;
        try
        {
            using var reader = File.OpenText(path);
            document = Yaml.Deserialize<PersonaDocument>(reader)
                ?? throw new PersonaFileException($"{path}: the file is empty.");
        }
        catch (YamlException ex)
        {
            // YamlDotNet's message names the unknown or mistyped field and its line; keep it, add the file.
            throw new PersonaFileException($"{path}: {Describe(ex)}", ex);
        }

        var errors = new List<string>();
        var config = document.ToConfig(errors);
        if (errors.Count > 0 || config is null)
        {
            throw new PersonaFileException($"{path}: {string.Join("; ", errors)}");
        }

        var name = document.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new PersonaFileException($"{path}: name is required.");
        }

        return new Persona(Path.GetFileNameWithoutExtension(path), name, config, path);
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        return $"{message} (line {ex.Start.Line}, column {ex.Start.Column})";
    }

    // Mutable shapes for YamlDotNet; validated and turned into the immutable config below.
    private sealed class PersonaDocument
    {
        public string? Name { get; set; }
        public PersonalityDocument? Personality { get; set; }
        public BehaviorDocument? Behavior { get; set; }
        public ModelDocument? Model { get; set; }

        public PersonalityConfig? ToConfig(List<string> errors)
        {
            if (Personality is null) { errors.Add("personality is required"); }
            if (Behavior is null) { errors.Add("behavior is required"); }
            if (Model is null) { errors.Add("model is required"); }
            if (Personality is null || Behavior is null || Model is null)
            {
                return null;
            }

            var config = new PersonalityConfig(
                new PersonalitySection(
                    Personality.Bio ?? "",
                    Personality.Traits ?? [],
                    Personality.CommunicationStyle ?? "",
                    Personality.Interests ?? [],
                    Personality.Quirks ?? [],
                    Personality.Catchphrase),
                new BehaviorSection(
                    Behavior.CreativityLevel ?? int.MinValue,
                    Behavior.LeadershipTendency ?? int.MinValue,
                    Behavior.Skepticism ?? int.MinValue,
                    Behavior.Aggression ?? int.MinValue,
                    Behavior.Shyness ?? int.MinValue,
                    Behavior.EngagementStyle ?? ""),
                new ModelSection(Model.Provider ?? "", Model.Model ?? "", Model.Temperature ?? double.NaN, Model.MaxTokens ?? 0, Model.FallbackModel));
            errors.AddRange(PersonalityConfigValidator.Validate(config).Select(e => $"{e.Field} {e.Message}"));
            return config;
        }
    }

    private sealed class PersonalityDocument
    {
        public string? Bio { get; set; }
        public List<string>? Traits { get; set; }
        public string? CommunicationStyle { get; set; }
        public List<string>? Interests { get; set; }
        public List<string>? Quirks { get; set; }
        public string? Catchphrase { get; set; }
    }

    private sealed class BehaviorDocument
    {
        public int? CreativityLevel { get; set; }
        public int? LeadershipTendency { get; set; }
        public int? Skepticism { get; set; }
        public int? Aggression { get; set; }
        public int? Shyness { get; set; }
        public string? EngagementStyle { get; set; }
    }

    private sealed class ModelDocument
    {
        public string? Provider { get; set; }
        public string? Model { get; set; }
        public double? Temperature { get; set; }
        public int? MaxTokens { get; set; }
        public string? FallbackModel { get; set; }
    }
}
