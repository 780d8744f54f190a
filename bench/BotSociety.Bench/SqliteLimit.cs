using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BotSociety.Bench;

/// <summary>
/// What SQLite itself commits on this machine: per heartbeat one transaction of a heartbeat's core shape (insert an
/// activity row, insert a post, upsert the day's usage, update two reputations) through raw ADO.NET with prepared
/// statements, WAL and synchronous=NORMAL, on the real schema (made by the app's migrations, so the same tables,
/// indexes and triggers). The heartbeat benchmark runs it in the same process, so its ratio compares like with like
/// on a machine whose speed varies with what else runs.
/// </summary>
internal static class SqliteLimit
{
    // The sizes of a real society's rows (fast-forward: activity details average ~430 characters, replies ~190).
    private static readonly string Details = "{\"thread_id\":1,\"thread_title\":\"" + new string('t', 60) + "\",\"topic\":\"science\",\"excerpt\":\""
        + new string('e', 140) + "\",\"model\":\"offline-persona-v1\",\"model_provider\":\"offline\",\"simulated\":true,\"reputation_score\":12.5,"
        + "\"instance\":\"bench\",\"due_at\":\"2026-01-05T00:00:00.0000000Z\",\"budget\":{\"prompt\":1450,\"cap\":100000}}";

    private static readonly string Body = new('b', 190);

    public static async Task<int> RunAsync(Options options)
    {
        var bots = (int)options.Number("bots", 1000, 2, 100_000);
        var heartbeats = (int)options.Number("heartbeats", 20_000, 100, 10_000_000);
        var rate = await MeasureAsync(bots, heartbeats);
        Console.WriteLine($"SQLite limit ({bots} bots): {rate:0} heartbeats/s (one raw ADO.NET transaction per heartbeat: activity, post, usage upsert, two reputations; WAL, synchronous=NORMAL)");
        return 0;
    }

    /// <summary>Heartbeats per second of the raw transaction, on a new file removed afterwards.</summary>
    public static async Task<double> MeasureAsync(int bots, int heartbeats)
    {
        var folder = Directory.CreateTempSubdirectory("botsociety-sqlite-limit-").FullName;
        var database = BenchDatabase.Sqlite(Path.Combine(folder, "limit.db"));
        try
        {
            var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
            await using (var society = await SocietyRunner.StartAsync(database, 42, "normal", start))
            {
                await society.GrowToAsync(bots, 42);
            }

            return Run(database.Path!, bots, heartbeats, start.UtcDateTime);
        }
        finally
        {
            await database.DropAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Run(string path, int bots, int heartbeats, DateTime start)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        var ids = new List<int>(bots);
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id FROM bots ORDER BY id";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt32(0));
            }
        }

        using (var thread = connection.CreateCommand())
        {
            thread.CommandText = "INSERT INTO threads (bot_id, title, body, topic, created_at, last_activity_at, reply_count, score) VALUES (@bot, 'limit', 'limit', 'science', @at, @at, 0, 0)";
            thread.Parameters.AddWithValue("@bot", ids[0]);
            thread.Parameters.AddWithValue("@at", start);
            thread.ExecuteNonQuery();
        }

        var threadId = Convert.ToInt32(Scalar(connection, "SELECT MAX(id) FROM threads"), CultureInfo.InvariantCulture);
        using var activity = Prepare(connection,
            "INSERT INTO activity_log (event_id, bot_id, action, details, input_tokens, output_tokens, cost_usd, model, created_at) VALUES (@event, @bot, 'reply', @details, 1450, 120, 0, 'offline-persona-v1', @at) RETURNING id",
            "@event", "@bot", "@details", "@at");
        using var post = Prepare(connection,
            "INSERT INTO posts (thread_id, bot_id, parent_post_id, body, created_at, score) VALUES (@thread, @bot, NULL, @body, @at, 0) RETURNING id",
            "@thread", "@bot", "@body", "@at");
        using var usage = Prepare(connection,
            "INSERT INTO daily_usage (bot_id, day, input_tokens, output_tokens, cached_input_tokens, estimated_cost_usd, unpriced_calls, calls) VALUES (@bot, @day, 1450, 120, 0, 0, 0, 1) "
            + "ON CONFLICT (bot_id, day) DO UPDATE SET input_tokens = daily_usage.input_tokens + excluded.input_tokens, output_tokens = daily_usage.output_tokens + excluded.output_tokens, calls = daily_usage.calls + 1",
            "@bot", "@day");
        using var reputation = Prepare(connection, "UPDATE bots SET reputation_score = reputation_score + 0.5 WHERE id = @bot", "@bot");

        var wall = Stopwatch.StartNew();
        for (var n = 0; n < heartbeats; n++)
        {
            var at = start.AddSeconds(n * 0.01);
            var bot = ids[n % ids.Count];
            using var transaction = connection.BeginTransaction();
            foreach (var command in new[] { activity, post, usage, reputation })
            {
                command.Transaction = transaction;
            }

            activity.Parameters["@event"].Value = Guid.CreateVersion7(new DateTimeOffset(at, TimeSpan.Zero)).ToString();
            activity.Parameters["@bot"].Value = bot;
            activity.Parameters["@details"].Value = Details;
            activity.Parameters["@at"].Value = at;
            activity.ExecuteScalar();
            post.Parameters["@thread"].Value = threadId;
            post.Parameters["@bot"].Value = bot;
            post.Parameters["@body"].Value = Body;
            post.Parameters["@at"].Value = at;
            post.ExecuteScalar();
            usage.Parameters["@bot"].Value = bot;
            usage.Parameters["@day"].Value = DateOnly.FromDateTime(at);
            usage.ExecuteNonQuery();
            reputation.Parameters["@bot"].Value = bot;
            reputation.ExecuteNonQuery();
            reputation.Parameters["@bot"].Value = ids[(n + 1) % ids.Count];
            reputation.ExecuteNonQuery();
            transaction.Commit();
        }

        wall.Stop();
        return heartbeats / wall.Elapsed.TotalSeconds;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
