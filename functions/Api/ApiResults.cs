using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>The one place HTTP answers are shaped: snake_case JSON, and RFC 9457 problem details for errors.</summary>
internal static class ApiResults
{
    // The members this API adds to problem details; ProblemDetails below names them the same way for the document.
    public const string ErrorsMember = "errors";
    public const string CurrentVersionMember = "current_version";
    public const string CauseMember = "cause";
    public const string InvocationIdMember = "invocation_id";

    public static JsonHttpResult<T> Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, SocietyJson.Options, statusCode: statusCode);

    /// <summary>400 with an <c>errors</c> member naming each offending field.</summary>
    public static ProblemHttpResult Invalid(IReadOnlyList<FieldError> errors) =>
        TypedResults.Problem(
            title: "The request is not valid.",
            detail: string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
            statusCode: StatusCodes.Status400BadRequest,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            extensions: new Dictionary<string, object?>
            {
                [ErrorsMember] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    /// <summary>Parses a numeric route id the way every route does; on failure, the 400 naming <paramref name="field"/>.</summary>
    public static bool TryParseId<T>(string value, string field, out T id, [NotNullWhen(false)] out ProblemHttpResult? problem)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        if (T.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            problem = null;
            return true;
        }

        problem = Invalid([new FieldError(field, $"must be a numeric id; got '{value}'")]);
        return false;
    }

    /// <summary>
    /// Reads a numeric id from the route and answers with what <paramref name="read"/> finds: 200, 400 naming
    /// <paramref name="field"/>, or 404 saying there is no such <paramref name="noun"/>.
    /// </summary>
    public static async Task<IResult> ForIdAsync<TId, T>(string value, string field, string noun, Func<TId, Task<T?>> read)
        where TId : struct, System.Numerics.IBinaryInteger<TId>
        where T : class
    {
        if (!TryParseId(value, field, out TId id, out var problem))
        {
            return problem;
        }

        return await read(id) is { } found ? Json(found) : NotFound($"There is no {noun} {id}.");
    }

    /// <summary>Reads a bot id from the route and answers with what <paramref name="read"/> finds: 200, 400 naming <c>bot_id</c>, or 404.</summary>
    public static Task<IResult> ForBotAsync<T>(string botId, Func<int, Task<T?>> read)
        where T : class => ForIdAsync(botId, "bot_id", "bot", read);

    /// <summary>
    /// A paged list that belongs to a bot: reads the route's bot id, then <c>limit</c> and <c>offset</c>, and answers
    /// 200 with the page, 400 naming each bad parameter, or 404 when <paramref name="read"/> finds no such bot.
    /// </summary>
    public static async Task<IResult> ForBotPageAsync<T>(string botId, HttpRequest request, int defaultLimit, Func<int, Paging, Task<T?>> read)
        where T : class
    {
        if (!TryParseId(botId, "bot_id", out int id, out var problem))
        {
            return problem;
        }

        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], defaultLimit);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        return await read(id, paging) is { } page ? Json(page) : NotFound($"There is no bot {id}.");
    }

    /// <summary>
    /// A filtered list: reads <c>limit</c> and <c>offset</c>, and answers 400 naming every bad parameter (paging's
    /// and <paramref name="filter"/>'s together), or 200 with what <paramref name="read"/> finds.
    /// </summary>
    public static async Task<IResult> PageAsync<TFilter, T>(
        HttpRequest request, int defaultLimit, (TFilter Filter, IReadOnlyList<FieldError> Errors) filter, Func<Paging, TFilter, Task<T>> read)
    {
        var (paging, errors) = Paging.Parse(request.Query["limit"], request.Query["offset"], defaultLimit);
        return errors.Count + filter.Errors.Count > 0 ? Invalid([.. errors, .. filter.Errors]) : Json(await read(paging, filter.Filter));
    }

    /// <summary>A write's answer: 200 with the changed resource, 400 naming each field, or 404 with <paramref name="notFound"/>.</summary>
    public static IResult From<T>(WriteResult<T> result, string notFound)
        where T : class =>
        result switch
        {
            { NotFound: true } => NotFound(notFound),
            { Value: { } value } => Json(value),
            _ => Invalid(result.Errors),
        };

    /// <summary>200 with a bot's config and its version as the strong <c>ETag</c> a later <c>If-Match</c> names.</summary>
    public static IResult Config(HttpRequest request, BotConfigView config)
    {
        request.HttpContext.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{config.Version}\"");
        return Json(config);
    }

    /// <summary>What <see cref="TryParseIfMatch"/> accepts, as the document states it: <c>*</c> or a version in quotes.</summary>
    public static FieldRule IfMatchRule { get; } = new() { Pattern = "^(\\*|\"[0-9]+\")$" };

    /// <summary>
    /// Reads <c>If-Match</c>: absent or <c>*</c> means "whatever the current version is" (last write wins);
    /// <c>"3"</c> means version 3. Anything else is a 400 naming the header.
    /// </summary>
    public static bool TryParseIfMatch(HttpRequest request, out int? version, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        version = null;
        problem = null;
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }

        if (header.Length > 2 && header[0] == '"' && header[^1] == '"'
            && int.TryParse(header.AsSpan(1, header.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        problem = Invalid([new FieldError("If-Match", $"must be the ETag of a config version, such as \"3\"; got '{header}'")]);
        return false;
    }

    /// <summary>A config write's answer: 200 with the config and its ETag, 400 naming each field, 404, 409 or 412.</summary>
    public static IResult From(HttpRequest request, ConfigWriteResult result) =>
        result.Status switch
        {
            ConfigWriteStatus.Done => Config(request, result.Config!),
            ConfigWriteStatus.Invalid => Invalid(result.Errors),
            ConfigWriteStatus.VersionMismatch => TypedResults.Problem(
                title: "Someone else changed the config.",
                detail: result.Detail,
                statusCode: StatusCodes.Status412PreconditionFailed,
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
                extensions: new Dictionary<string, object?> { [CurrentVersionMember] = result.CurrentVersion }),
            ConfigWriteStatus.PersonaUnusable => TypedResults.Problem(
                title: "The persona file cannot be read.", detail: result.Detail, statusCode: StatusCodes.Status409Conflict,
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
            _ => NotFound(result.Detail ?? "Not found."),
        };

    /// <summary>
    /// Answers in the function's place from a middleware: writes <paramref name="result"/> and leaves the worker an
    /// empty result, which tells the ASP.NET Core integration the response is handled.
    /// </summary>
    public static async Task AnswerInsteadAsync(FunctionContext context, HttpContext http, IResult result)
    {
        await result.ExecuteAsync(http);
        context.GetInvocationResult().Value = Results.Empty;
    }

    /// <summary>A refusal of the request's body as a whole (413, 415), naming what was wrong as a field.</summary>
    public static ProblemHttpResult BodyRefused(int status, string title, string field, string message) =>
        TypedResults.Problem(
            title: title,
            detail: $"{field} {message}",
            statusCode: status,
            type: status == StatusCodes.Status413PayloadTooLarge
                ? "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14"
                : "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
            extensions: new Dictionary<string, object?> { [ErrorsMember] = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>503 for a passing fault of the database; the client may try again after <c>Retry-After</c>.</summary>
    public static ProblemHttpResult StorageFault(StorageFault fault, string invocationId) =>
        TypedResults.Problem(
            title: "The database cannot take this request right now.",
            detail: $"{fault.Cause}; nothing was changed. Try again in {fault.RetryAfterSeconds} s.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
            extensions: new Dictionary<string, object?> { [CauseMember] = fault.Kind, [InvocationIdMember] = invocationId });

    /// <summary>500 for a defect: no exception text, only the id the log holds it under.</summary>
    public static ProblemHttpResult InternalError(string invocationId) =>
        TypedResults.Problem(
            title: "An internal error.",
            detail: $"The request failed on an error of the app's; it is logged under invocation {invocationId}.",
            statusCode: StatusCodes.Status500InternalServerError,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
            extensions: new Dictionary<string, object?> { [InvocationIdMember] = invocationId });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(
            title: "Forbidden.", detail: detail, statusCode: StatusCodes.Status403Forbidden,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(
            title: "Not found.", detail: detail, statusCode: StatusCodes.Status404NotFound,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");

    public static ProblemHttpResult Unavailable(string title, string detail) =>
        TypedResults.Problem(
            title: title, detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable,
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
}

/// <summary>
/// Every problem answer as <see cref="ApiResults"/> writes it (RFC 9457): the document's ProblemDetails schema. The
/// standard members are always there; each member this API adds only on the answers that carry it.
/// </summary>
internal sealed record ProblemDetails(
    [property: Description("A URI naming the kind of problem: the section of RFC 9110 for its status.")] string Type,
    [property: Description("A short, fixed summary of the kind of problem.")] string Title,
    [property: Description("The HTTP status code.")] int Status,
    [property: Description("What went wrong with this request, in a sentence.")] string Detail,
    [property: JsonPropertyName(ApiResults.ErrorsMember), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("Each offending field (a query parameter, a header, or a body member's JSON path such as behavior.skepticism) with what is wrong with it; on the answers that refuse part of the request.")]
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null,
    [property: JsonPropertyName(ApiResults.CurrentVersionMember), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("The config's version now, for a new If-Match; on 412.")]
    int? CurrentVersion = null,
    [property: JsonPropertyName(ApiResults.CauseMember), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("Why the database cannot take the request (locked, full, unreachable); on 503 from the database.")]
    string? Cause = null,
    [property: JsonPropertyName(ApiResults.InvocationIdMember), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [property: Description("The invocation whose log entry holds the error; on 500 and on 503 from the database.")]
    string? InvocationId = null);
