namespace BotSociety.Core.Export;

/// <summary>
/// A table the export serves: its name in the URL, its table in the database, the column <c>since</c> and <c>until</c>
/// filter on, the column <c>bot_id</c> filters on, the key it is ordered by, and the columns that hold JSON text (written
/// as JSON, not as a string, in JSONL). A column is named as its field in the API (<paramref name="FieldNames"/>
/// where the API names it otherwise, as the feed calls <c>created_at</c> <c>timestamp</c>).
/// </summary>
public sealed record ExportTable(
    string Name, string Table, string TimeColumn, string BotColumn, IReadOnlyList<string> OrderBy, IReadOnlyList<string> JsonColumns,
    IReadOnlyDictionary<string, string>? FieldNames = null)
{
    public string FieldOf(string column) => FieldNames?.GetValueOrDefault(column) ?? column;
}

/// <summary>The tables and formats <c>GET /api/export/{table}.{format}</c> serves.</summary>
public static class ExportTables
{
    public const string Jsonl = "jsonl";
    public const string Csv = "csv";

    public static IReadOnlyList<string> Formats { get; } = [Jsonl, Csv];

    // Ordered by key so that two exports of the same rows are the same file, and the reader can resume by id.
    public static IReadOnlyList<ExportTable> All { get; } =
    [
        new("activity", "activity_log", "created_at", "bot_id", ["id"], ["details"], new Dictionary<string, string> { ["created_at"] = "timestamp" }),
        new("threads", "threads", "created_at", "bot_id", ["id"], []),
        new("posts", "posts", "created_at", "bot_id", ["id"], []),
        new("votes", "votes", "created_at", "bot_id", ["id"], []),
        new("follows", "follows", "created_at", "follower_id", ["follower_id", "followee_id"], []),
        new("memories", "warm_memories", "created_at", "bot_id", ["id"], []),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.Name)];

    public static ExportTable? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    public static string ContentType(string format) => format == Csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8";
}
