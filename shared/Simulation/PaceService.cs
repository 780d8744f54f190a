using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Simulation;

/// <summary>The society's pace as the API shows it: the current one, its mean interval for an active bot, and every choice.</summary>
public sealed record PaceView(Pace Pace, int IntervalSeconds, IReadOnlyList<PaceChoice> Paces, DateTime UpdatedAt);

/// <summary>One pace a client may choose, with its mean interval for an active bot (0 for paused).</summary>
public sealed record PaceChoice(Pace Name, int IntervalSeconds);

/// <summary>The body of a pace change, as the API documents it.</summary>
public sealed record PaceRequest([property: JsonRequired] Pace Pace);

/// <summary>Reads and sets the society-wide pace.</summary>
public sealed class PaceService(IDbContextFactory<BotSocietyDb> dbFactory, ControlEvents events, TimeProvider time)
{
    private static readonly string[] Fields = ["pace"];

    private static readonly IReadOnlyList<PaceChoice> Choices =
        [.. Enum.GetValues<Pace>().Select(p => new PaceChoice(p, PaceSchedule.IntervalSeconds(p)))];

    public async Task<PaceView> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return View(await db.SocietySettings.AsNoTracking().SingleAsync(cancellationToken));
    }

    /// <summary>Sets the pace from a body like <c>{"pace": "fast"}</c>; an invalid body changes nothing, the same pace publishes nothing.</summary>
    public async Task<WriteResult<PaceView>> SetAsync(Stream body, CancellationToken cancellationToken, string actor = ControlEvents.Operator)
    {
        var request = await JsonBody.ReadAsync(body, Fields, cancellationToken);
        var name = request.RequiredString("pace");
        Pace? pace = name is null ? null : Enum.GetValues<Pace>().Where(p => NameOf(p) == name).Select(p => (Pace?)p).FirstOrDefault();
        var errors = request.Errors.ToList();
        if (name is not null && pace is null)
        {
            errors.Add(new("pace", $"must be one of {string.Join(", ", Enum.GetValues<Pace>().Select(NameOf))}; got '{name}'"));
        }

        if (errors.Count > 0 || pace is not { } chosen)
        {
            return WriteResult.Invalid<PaceView>(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.SocietySettings.SingleAsync(cancellationToken);
        var before = settings.Pace;
        if (before != chosen)
        {
            settings.Pace = chosen;
            settings.UpdatedAt = time.GetUtcNow().UtcDateTime;
            events.Record(db, SocietyEventTypes.PaceChanged, ActivityActions.PaceChanged, null, null, actor,
                new JsonObject { ["pace"] = NameOf(before) }, new JsonObject { ["pace"] = NameOf(chosen) },
                new JsonObject { ["from"] = NameOf(before), ["to"] = NameOf(chosen), ["pace"] = NameOf(chosen) });
            await db.SaveChangesAsync(cancellationToken);
            await events.DeliverAsync(cancellationToken);
        }

        return WriteResult.Done<PaceView>(View(settings));
    }

    private static PaceView View(SocietySettings settings) =>
        new(settings.Pace, PaceSchedule.IntervalSeconds(settings.Pace), Choices, settings.UpdatedAt);

    // The JSON name, as SocietyJson writes the enum.
    private static string NameOf(Pace pace) => pace.ToString().ToLowerInvariant();
}
