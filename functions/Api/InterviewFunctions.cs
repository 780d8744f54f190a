using BotSociety.Core.Interview;
using BotSociety.Functions.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace BotSociety.Functions.Api;

/// <summary>Asking a bot a question from its profile: a thin adapter over <see cref="InterviewService"/>.</summary>
internal sealed class InterviewFunctions(InterviewService interviews)
{
    [Function("InterviewBot")]
    [ApiOperation("Bots", "Asks a bot a question; it answers in persona through its own model, with its warm memories, the threads it joined and its recent "
        + "activity in mind. Not society activity (no post, reputation or memory), but its tokens and cost count in the bot's usage and caps (kind "
        + "interview in the usage report) and its trace is kept.")]
    [ApiBody(typeof(InterviewRequest), "The question.")]
    [ApiResponse(200, "The answer.", Body = typeof(InterviewAnswer))]
    [ApiResponse(409, "The bot is paused or capped for today; detail says which.")]
    [ApiResponse(502, "The bot's model did not answer; the call is traced.")]
    public async Task<IResult> InterviewAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "bots/{bot_id}/interview")] HttpRequest request, string bot_id, CancellationToken cancellationToken)
    {
        if (!ApiResults.TryParseId(bot_id, "bot_id", out int id, out var problem))
        {
            return problem;
        }

        var result = await interviews.AskAsync(id, request.Body, cancellationToken);
        return result.Status switch
        {
            InterviewStatus.Answered => ApiResults.Json(result.Answer),
            InterviewStatus.Invalid => ApiResults.Invalid(result.Errors!),
            InterviewStatus.NoSuchBot => ApiResults.NotFound(result.Detail!),
            InterviewStatus.Refused => TypedResults.Problem(
                title: "The bot cannot be interviewed now.", detail: result.Detail, statusCode: StatusCodes.Status409Conflict,
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
            _ => TypedResults.Problem(
                title: "The bot's model did not answer.", detail: result.Detail, statusCode: StatusCodes.Status502BadGateway,
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.3"),
        };
    }
}
