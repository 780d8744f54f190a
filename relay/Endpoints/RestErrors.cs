namespace BotSociety.Relay.Endpoints;

/// <summary>
/// RFC 9457 problem details, with the <c>code</c> and <c>message</c> fields and <c>x-ms-error-code</c> header the
/// server SDK copies onto its RestError, so a failure reads the same in both worlds.
/// </summary>
internal static class RestErrors
{
    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "BadRequest", detail);

    public static IResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "NotFound", detail);

    public static IResult PayloadTooLarge(string detail) => Problem(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", detail);

    public static IResult UnsupportedMediaType(string detail) => Problem(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", detail);

    public static IResult TooManyRequests(string detail) => Problem(StatusCodes.Status429TooManyRequests, "TooManyRequests", detail);

    private static CodedProblem Problem(int status, string code, string detail) => new CodedProblem(
        code,
        TypedResults.Problem(
            title: code,
            detail: detail,
            statusCode: status,
            extensions: new Dictionary<string, object?> { ["code"] = code, ["message"] = detail }));

    private sealed class CodedProblem(string code, IResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["x-ms-error-code"] = code;
            return problem.ExecuteAsync(httpContext);
        }
    }
}
