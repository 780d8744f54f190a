using BotSociety.Core.Export;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The society's data to take away: a table as JSON Lines or CSV, and the whole society as a SQLite file. Thin adapters over the core's export.</summary>
internal sealed class ExportFunctions(SocietyExport export, SocietySnapshot snapshot)
{
    [Function("ExportTable")]
    [ApiOperation("Export", "Every row of a table, oldest first (by id), streamed as it is read: JSON Lines (one object per line, the API's snake_case names) "
        + "or CSV (RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled; NULL is an empty field).")]
    [ApiRoute("table", "The table: activity (the activity log), threads, posts, votes, follows, memories (warm memory).", "activity", "threads", "posts", "votes", "follows", "memories")]
    [ApiRoute("format", "jsonl or csv.", "jsonl", "csv")]
    [ApiQuery("since", typeof(DateTime), "Only rows created at or after this moment (ISO 8601).")]
    [ApiQuery("until", typeof(DateTime), "Only rows created before this moment (ISO 8601); not before since.")]
    [ApiQuery("bot_id", typeof(int), "Only this bot's rows (for follows, the follower's).")]
    [ApiQueryRules(typeof(ExportFilter))]
    [ApiResponse(200, "The rows.", Media = ["application/x-ndjson", "text/csv"])]
    [ApiResponse(404, "There is no such table, format or bot.")]
    public async Task<IResult> ExportTableAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "export/{table}.{format}")] HttpRequest request, string table, string format, CancellationToken cancellationToken)
    {
        if (ExportTables.Find(table) is not { } found)
        {
            return ApiResults.NotFound($"There is no table '{table}' to export; choose one of {string.Join(", ", ExportTables.Names)}.");
        }

        if (!ExportTables.Formats.Contains(format))
        {
            return ApiResults.NotFound($"There is no format '{format}'; choose jsonl or csv.");
        }

        var (filter, errors) = ExportFilter.Parse(request.Query["since"], request.Query["until"], request.Query["bot_id"]);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (filter.BotId is { } bot && !await export.BotExistsAsync(bot, cancellationToken))
        {
            return ApiResults.NotFound($"There is no bot {bot}.");
        }

        return new StreamedResult(ExportTables.ContentType(format), $"{found.Name}.{format}", (body, ct) => export.WriteAsync(found, format, filter, body, ct));
    }

    [Function("ExportSociety")]
    [ApiOperation("Export", "The whole society as one consistent SQLite file (SQLite's backup API; on PostgreSQL, the same tables written into a SQLite file). "
        + "Put it in an empty folder as botsociety.db and run BOTSOCIETY_DATA=<folder> ./run.sh: the fork goes on from this moment as a society of its own.")]
    [ApiResponse(200, "The SQLite database.", Media = ["application/vnd.sqlite3"], Binary = true)]
    public IResult ExportSociety(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "export/society.db")] HttpRequest request) =>
        new StreamedResult("application/vnd.sqlite3", SocietySnapshot.FileName, async (body, ct) =>
        {
            await using var file = await snapshot.CreateAsync(ct);
            await file.CopyToAsync(body, ct);
        });
}
