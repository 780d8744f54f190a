using BotSociety.Core.Reputation;
using Npgsql;

namespace BotSociety.ScaleOut.Tests;

/// <summary>
/// Grows the society the devhosts made (migrations and a bot per persona, written by the app itself as it starts) to
/// the size of the run: clones of the persona bots, named as the bench's fast-forward names them (<c>Ada-1</c>, …), each
/// new and due at once, as a new bot is. Plain SQL with every column named, so the app under test made everything else.
/// </summary>
internal static class SocietyGrowth
{
    public static async Task GrowToAsync(string connectionString, int bots)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO bots (name, persona_key, personality_config, config_version, reputation_score, daily_token_cap, daily_cost_cap_usd,
                              is_paused, paused_reason, created_at, next_heartbeat_at, last_heartbeat_at, heartbeat_count, capped_on,
                              claimed_by, claimed_until)
            SELECT p.name || '-' || n, p.persona_key, p.personality_config, p.config_version, @score, NULL, NULL,
                   false, NULL, now(), now(), NULL, 0, NULL, NULL, NULL
            FROM (SELECT * FROM bots ORDER BY id) AS p CROSS JOIN generate_series(1, @bots) AS n
            ORDER BY n, p.id
            LIMIT @bots - (SELECT count(*) FROM bots)
            """, db);
        command.Parameters.AddWithValue("score", ReputationRules.StartingScore);
        command.Parameters.AddWithValue("bots", bots);
        await command.ExecuteNonQueryAsync();
    }
}
