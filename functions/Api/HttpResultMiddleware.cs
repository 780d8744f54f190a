using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace BotSociety.Functions.Api;

/// <summary>
/// Writes an HTTP function's <see cref="IResult"/> to its response here and leaves the worker an empty one in its
/// place. The ASP.NET Core integration writes an IResult to the response too, but then also sends it to the host as
/// the invocation's return value, serialized to JSON over gRPC, where nothing reads it: for the 145 KB reputation
/// history that was a second serialization, about 700 KB of garbage a request, strings on the large object heap and
/// gen-2 collections (seen with dotnet-trace under bench/api.sh). The empty result still tells the integration that
/// the response is handled, and costs two bytes on the wire.
/// </summary>
internal sealed class HttpResultMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);
        var invocation = context.GetInvocationResult();
        if (invocation.Value is IResult result and not EmptyHttpResult && context.GetHttpContext() is { } http)
        {
            await result.ExecuteAsync(http);
            invocation.Value = Results.Empty;
        }
    }
}
