using System.Globalization;
using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Realtime;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Bots;

/// <summary>The operator's pause and resume of one bot; both are idempotent and publish only a real change.</summary>
public sealed class BotControl(IDbContextFactory<BotSocietyDb> dbFactory, BotQueries queries, ControlEvents events, TimeProvider time)
{
    /// <summary>Pauses the bot; null when there is no bot with that id. <paramref name="actor"/> is who asked, for the audit trail.</summary>
    public Task<BotSummary?> PauseAsync(int id, CancellationToken cancellationToken, string actor = ControlEvents.Operator) =>
        SetPausedAsync(id, paused: true, actor, cancellationToken);

    /// <summary>Resumes the bot and makes it due now, so it acts on the next tick; null when there is no bot with that id.</summary>
    public Task<BotSummary?> ResumeAsync(int id, CancellationToken cancellationToken, string actor = ControlEvents.Operator) =>
        SetPausedAsync(id, paused: false, actor, cancellationToken);

    private async Task<BotSummary?> SetPausedAsync(int id, bool paused, string actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, ct);
            if (bot is null)
            {
                return null;
            }

            if (bot.IsPaused != paused)
            {
                var before = new JsonObject { ["status"] = paused ? "active" : "paused", ["reason"] = bot.PausedReason };
                bot.IsPaused = paused;
                bot.PausedReason = null;
                var details = new JsonObject { ["status"] = paused ? "paused" : "active" };
                if (!paused)
                {
                    bot.NextHeartbeatAt = time.GetUtcNow().UtcDateTime;
                    details["next_heartbeat_at"] = bot.NextHeartbeatAt.ToString("O", CultureInfo.InvariantCulture);
                }

                events.Record(db, paused ? SocietyEventTypes.BotPaused : SocietyEventTypes.BotResumed, paused ? ActivityActions.Pause : ActivityActions.Resume,
                    bot.Id, bot.Name, actor, before, new JsonObject { ["status"] = paused ? "paused" : "active" }, details);
                await db.SaveChangesAsync(ct);
                await events.DeliverAsync(ct);
            }
        }

        return await queries.GetAsync(id, ct);
    }

    /// <summary>
    /// Pauses every running bot whose model is <paramref name="provider"/>, with <paramref name="reason"/> for the API and
    /// dashboard to show; used when the provider refused its key. Returns how many bots were paused.
    /// </summary>
    public async Task<int> PauseProviderAsync(string provider, string reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // The provider lives inside the config JSON; a society has thousands of bots at most, so they are read and filtered here.
        var bots = (await db.Bots.Where(b => !b.IsPaused).ToListAsync(ct)).Where(b => b.PersonalityConfig.Model.Provider == provider).ToList();
        foreach (var bot in bots)
        {
            bot.IsPaused = true;
            bot.PausedReason = reason;
        }

        foreach (var bot in bots)
        {
            events.Record(db, SocietyEventTypes.BotPaused, ActivityActions.Pause, bot.Id, bot.Name, ControlEvents.Society,
                new JsonObject { ["status"] = "active" }, new JsonObject { ["status"] = "paused", ["reason"] = reason },
                new JsonObject { ["status"] = "paused", ["reason"] = reason, ["provider"] = provider });
        }

        await db.SaveChangesAsync(ct);
        await events.DeliverAsync(ct);

        return bots.Count;
    }
}
