using System.Text.Json;
using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Bots;

/// <summary>A bot's whole config as the config panel edits it; <c>version</c> is what <c>If-Match</c> names.</summary>
public sealed record BotConfigView(
    int BotId,
    string BotName,
    int Version,
    PersonalitySection Personality,
    BehaviorSection Behavior,
    ModelSection Model,
    bool Simulated,
    string DefaultsPersona);

/// <summary>One entry of a bot's config history: the changed JSON paths and the changed sections before and after.</summary>
public sealed record ConfigChangeItem(long Id, DateTime ChangedAt, string Kind, IReadOnlyList<string> Fields, JsonObject Before, JsonObject After);

/// <summary>How a config write ended.</summary>
public enum ConfigWriteStatus
{
    Done,
    Invalid,
    BotNotFound,
    PersonaNotFound,
    PersonaUnusable,
    VersionMismatch,
}

/// <summary>The answer of a config write: the config as it now is, or why nothing changed.</summary>
public sealed record ConfigWriteResult(ConfigWriteStatus Status, BotConfigView? Config, IReadOnlyList<FieldError> Errors, int? CurrentVersion, string? Detail);

/// <summary>
/// Reads and changes a bot's personality config: partial updates held to the persona files' rules, reset to the
/// persona file, and a history row for every real change. The engine reads the config from the database on every
/// tick, so a change takes effect on the bot's next heartbeat.
/// </summary>
public sealed class BotConfigService(
    IDbContextFactory<BotSocietyDb> dbFactory, PersonaCatalog personas, ControlEvents events, TimeProvider time, ModelCatalog models)
{
    public const int DefaultHistoryLimit = 50;

    private enum ValueKind
    {
        Text,
        NullableText,
        TextList,
        WholeNumber,
        Number,
    }

    // The members a request may name, in the order the records serialise them; the names are the JSON paths' parts.
    private static readonly Dictionary<string, Dictionary<string, ValueKind>> Schema = new(StringComparer.Ordinal)
    {
        ["personality"] = new(StringComparer.Ordinal)
        {
            ["bio"] = ValueKind.Text,
            ["traits"] = ValueKind.TextList,
            ["communication_style"] = ValueKind.Text,
            ["interests"] = ValueKind.TextList,
            ["quirks"] = ValueKind.TextList,
            ["catchphrase"] = ValueKind.NullableText,
        },
        ["behavior"] = new(StringComparer.Ordinal)
        {
            ["creativity_level"] = ValueKind.WholeNumber,
            ["leadership_tendency"] = ValueKind.WholeNumber,
            ["skepticism"] = ValueKind.WholeNumber,
            ["aggression"] = ValueKind.WholeNumber,
            ["shyness"] = ValueKind.WholeNumber,
            ["engagement_style"] = ValueKind.Text,
        },
        ["model"] = new(StringComparer.Ordinal)
        {
            ["provider"] = ValueKind.Text,
            ["model"] = ValueKind.Text,
            ["temperature"] = ValueKind.Number,
            ["max_tokens"] = ValueKind.WholeNumber,
            ["fallback_model"] = ValueKind.NullableText,
        },
    };

    private static readonly string[] Sections = ["personality", "behavior", "model"];

    /// <summary>The bot's config; null when there is no such bot.</summary>
    public async Task<BotConfigView?> GetAsync(int botId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == botId, cancellationToken);
        return bot is null ? null : View(bot);
    }

    /// <summary>
    /// Applies a partial update such as <c>{"behavior": {"skepticism": 80}}</c>: only the members present change.
    /// With <paramref name="expectedVersion"/> the write happens only if nobody changed the config since that version.
    /// </summary>
    public async Task<ConfigWriteResult> UpdateAsync(int botId, Stream body, int? expectedVersion, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        var request = await JsonBody.ReadAsync(body, Sections, cancellationToken);
        var patch = ReadPatch(request);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // SQLite's BEGIN IMMEDIATE: the version check and the write cannot interleave with another writer's.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken);
        if (bot is null)
        {
            return Missing(ConfigWriteStatus.BotNotFound, $"There is no bot {botId}.");
        }

        if (expectedVersion is { } expected && expected != bot.ConfigVersion)
        {
            return Stale(bot, expected);
        }

        // The well-typed members are merged and validated even when others are not, so one answer names every bad field.
        var merged = ToJson(bot.PersonalityConfig);
        foreach (var (path, value) in patch)
        {
            merged[path.Section]![path.Member] = value;
        }

        var config = merged.Deserialize<PersonalityConfig>(SocietyJson.Options)!;
        var errors = request.Errors.Concat(PersonalityConfigValidator.Validate(config, models.Unavailable)).ToList();
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        return await SaveAsync(db, transaction, bot, config, ConfigChangeKinds.Update, actor, cancellationToken);
    }

    /// <summary>Replaces the whole config with the one the bot's persona file holds now.</summary>
    public async Task<ConfigWriteResult> ResetAsync(int botId, int? expectedVersion, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken);
        if (bot is null)
        {
            return Missing(ConfigWriteStatus.BotNotFound, $"There is no bot {botId}.");
        }

        if (expectedVersion is { } expected && expected != bot.ConfigVersion)
        {
            return Stale(bot, expected);
        }

        Persona? persona;
        try
        {
            persona = personas.Find(bot.PersonaKey);
        }
        catch (PersonaFileException ex)
        {
            return Missing(ConfigWriteStatus.PersonaUnusable, ex.Message);
        }

        if (persona is null)
        {
            return Missing(ConfigWriteStatus.PersonaNotFound,
                $"The persona file '{bot.PersonaKey}.yaml' of bot {botId} is gone from {personas.Directory}; there are no defaults to reset to.");
        }

        return await SaveAsync(db, transaction, bot, persona.Config, ConfigChangeKinds.Reset, actor, cancellationToken);
    }

    /// <summary>The bot's config changes, newest first; null when there is no such bot.</summary>
    public async Task<Page<ConfigChangeItem>?> HistoryAsync(int botId, Paging paging, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Bots.AnyAsync(b => b.Id == botId, cancellationToken))
        {
            return null;
        }

        var changes = db.ConfigChanges.AsNoTracking().Where(c => c.BotId == botId);
        var total = await changes.CountAsync(cancellationToken);
        var rows = await changes
            .OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
            .Skip(paging.Offset).Take(paging.Limit)
            .ToListAsync(cancellationToken);
        var items = rows.Select(c => new ConfigChangeItem(
            c.Id,
            c.ChangedAt,
            c.Kind,
            JsonSerializer.Deserialize<List<string>>(c.Fields, SocietyJson.Options)!,
            JsonNode.Parse(c.Before)!.AsObject(),
            JsonNode.Parse(c.After)!.AsObject())).ToList();
        return new Page<ConfigChangeItem>(items, total, paging.Limit, paging.Offset);
    }

    private async Task<ConfigWriteResult> SaveAsync(
        BotSocietyDb db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Bot bot, PersonalityConfig config, string kind, string actor, CancellationToken ct)
    {
        var before = ToJson(bot.PersonalityConfig);
        var after = ToJson(config);
        var fields = ChangedPaths(before, after);
        if (fields.Count == 0)
        {
            return Done(bot);
        }

        var beforeSections = new JsonObject();
        var afterSections = new JsonObject();
        foreach (var section in Sections.Where(s => fields.Any(f => f.StartsWith(s + ".", StringComparison.Ordinal))))
        {
            beforeSections[section] = before[section]!.DeepClone();
            afterSections[section] = after[section]!.DeepClone();
        }

        bot.PersonalityConfig = config;
        bot.ConfigVersion++;
        db.ConfigChanges.Add(new BotConfigChange
        {
            BotId = bot.Id,
            ChangedAt = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            Fields = JsonSerializer.Serialize(fields, SocietyJson.Options),
            Before = beforeSections.ToJsonString(SocietyJson.Options),
            After = afterSections.ToJsonString(SocietyJson.Options),
        });
        var details = new JsonObject { ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]), ["version"] = bot.ConfigVersion };
        events.Record(db, SocietyEventTypes.ConfigUpdated, kind == ConfigChangeKinds.Reset ? Simulation.ActivityActions.ConfigReset : Simulation.ActivityActions.ConfigUpdated,
            bot.Id, bot.Name, actor, beforeSections.DeepClone(), afterSections.DeepClone(), details);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await events.DeliverAsync(ct);
        return Done(bot);
    }

    /// <summary>Reads the sections present in the body, checking each member's name and JSON type; ranges are the validator's.</summary>
    private static List<((string Section, string Member) Path, JsonNode? Value)> ReadPatch(JsonBody request)
    {
        var patch = new List<((string, string), JsonNode?)>();
        foreach (var section in Sections)
        {
            if (request.OptionalObject(section) is not { } element)
            {
                continue;
            }

            var members = Schema[section];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                var path = $"{section}.{property.Name}";
                if (!members.TryGetValue(property.Name, out var kind))
                {
                    request.AddError(path, $"is not a known field; expected {string.Join(", ", members.Keys)}");
                }
                else if (!seen.Add(property.Name))
                {
                    request.AddError(path, "appears more than once");
                }
                else if (Check(request, path, kind, property.Value))
                {
                    patch.Add(((section, property.Name), JsonSerializer.SerializeToNode(property.Value)));
                }
            }
        }

        return patch;
    }

    private static bool Check(JsonBody request, string path, ValueKind kind, JsonElement value)
    {
        string? problem = kind switch
        {
            ValueKind.Text when value.ValueKind != JsonValueKind.String => "must be a string",
            ValueKind.NullableText when value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) => "must be a string or null",
            ValueKind.WholeNumber when value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _) => "must be a whole number",
            ValueKind.Number when value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d) => "must be a number",
            ValueKind.TextList when value.ValueKind != JsonValueKind.Array => "must be an array of strings",
            _ => null,
        };
        if (problem is not null)
        {
            request.AddError(path, $"{problem}; got {JsonBody.Describe(value)}");
            return false;
        }

        var ok = true;
        if (kind == ValueKind.TextList)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    request.AddError($"{path}[{i}]", $"must be a string; got {JsonBody.Describe(item)}");
                    ok = false;
                }

                i++;
            }
        }

        return ok;
    }

    private static List<string> ChangedPaths(JsonObject before, JsonObject after)
    {
        var fields = new List<string>();
        foreach (var section in Sections)
        {
            foreach (var member in Schema[section].Keys)
            {
                if (!JsonNode.DeepEquals(before[section]?[member], after[section]?[member]))
                {
                    fields.Add($"{section}.{member}");
                }
            }
        }

        return fields;
    }

    private static JsonObject ToJson(PersonalityConfig config) => JsonSerializer.SerializeToNode(config, SocietyJson.Options)!.AsObject();

    private static BotConfigView View(Bot bot)
    {
        var c = bot.PersonalityConfig;
        return new BotConfigView(
            bot.Id, bot.Name, bot.ConfigVersion, c.Personality, c.Behavior, c.Model, ModelProviders.IsSimulated(c.Model.Provider), bot.PersonaKey);
    }

    private static ConfigWriteResult Done(Bot bot) => new(ConfigWriteStatus.Done, View(bot), [], bot.ConfigVersion, null);

    private static ConfigWriteResult Invalid(IReadOnlyList<FieldError> errors) => new(ConfigWriteStatus.Invalid, null, errors, null, null);

    private static ConfigWriteResult Missing(ConfigWriteStatus status, string detail) => new(status, null, [], null, detail);

    private static ConfigWriteResult Stale(Bot bot, int expected) =>
        new(ConfigWriteStatus.VersionMismatch, null, [], bot.ConfigVersion,
            $"Someone else changed the config of bot {bot.Id}: you edited version {expected}, it is now at version {bot.ConfigVersion}. Reload it and apply your change again.");
}
