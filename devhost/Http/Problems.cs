namespace BotSociety.DevHost.Http;

/// <summary>RFC 9457 problem details for every answer devhost makes itself, as the functions do for theirs.</summary>
internal static class Problems
{
    public static IResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not Found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult MethodNotAllowed(string detail) =>
        TypedResults.Problem(title: "Method Not Allowed", detail: detail, statusCode: StatusCodes.Status405MethodNotAllowed);

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(title: "Bad Request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>The invocation's error is logged, never answered: exception text tells a client nothing it can act on.</summary>
    public static IResult FunctionFailed(string function, string invocationId) =>
        TypedResults.Problem(
            title: $"Function '{function}' failed.",
            detail: $"The function failed; devhost's log has its error under invocation {invocationId}.",
            statusCode: StatusCodes.Status500InternalServerError,
            extensions: new Dictionary<string, object?> { ["invocation_id"] = invocationId });

    public static IResult BadGateway(string function, string error) =>
        TypedResults.Problem(title: $"devhost could not forward the request to function '{function}'.", detail: $"{error}; devhost's log has the details.", statusCode: StatusCodes.Status502BadGateway);

    public static IResult WorkerUnavailable(string detail) =>
        TypedResults.Problem(title: "The functions worker is not available.", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
}
