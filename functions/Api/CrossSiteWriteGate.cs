using BotSociety.Core.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace BotSociety.Functions.Api;

/// <summary>Refuses, with 403 problem details, a write a browser sends for a page of another site (<see cref="CrossSiteWrites"/>).</summary>
internal sealed class CrossSiteWriteGate(IOptions<ApiOptions> options) : IFunctionsWorkerMiddleware
{
    private readonly IReadOnlyCollection<string> allowed = [.. options.Value.AllowedOrigins.Select(o => CrossSiteWrites.NormalizeOrigin(o)!)];

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http)
        {
            var request = http.Request;
            // The host the client used: Host, or the address a proxy in front (devhost, nginx) says it was reached at.
            string[] own = [request.Host.Value ?? "", .. request.Headers["X-Forwarded-Host"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries))];
            var refusal = CrossSiteWrites.Refusal(request.Method, request.Headers["Sec-Fetch-Site"].FirstOrDefault(), request.Headers.Origin.FirstOrDefault(), own, allowed);
            if (refusal is not null)
            {
                await ApiResults.AnswerInsteadAsync(context, http, ApiResults.Forbidden(refusal));
                return;
            }
        }

        await next(context);
    }
}
