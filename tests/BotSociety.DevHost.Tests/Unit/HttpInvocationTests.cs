using System.Text.Json;
using BotSociety.DevHost.Http;
using BotSociety.DevHost.Rpc;
using Microsoft.AspNetCore.Http;

namespace BotSociety.DevHost.Tests.Unit;

/// <summary>
/// Our worker has no function with a route parameter yet, so the path from route table to trigger_metadata
/// (where the worker binds route parameters from) is checked here rather than end to end.
/// </summary>
public sealed class HttpInvocationTests
{
    [Fact]
    public void RouteValuesQueryAndHeadersTravelInTriggerMetadata()
    {
        var table = RouteTable.Build([TestFunctions.Http("GetBot", "bots/{id}/{view?}", "get")], "api", constraints: null);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/bots/42/summary";
        context.Request.QueryString = new QueryString("?limit=1&tag=a&tag=b");
        context.Request.Headers["X-Trace-Me"] = "yes";
        var match = Assert.IsType<RouteMatch.Found>(table.Match(context.Request.Method, context.Request.Path));

        var invocation = HttpInvocation.Create("invocation-1", match, context.Request);

        Assert.Equal("invocation-1", invocation.InvocationId);
        Assert.Equal("42", invocation.TriggerMetadata["id"].String);
        Assert.Equal("summary", invocation.TriggerMetadata["view"].String);
        using var query = JsonDocument.Parse(invocation.TriggerMetadata["Query"].Json);
        Assert.Equal("1", query.RootElement.GetProperty("limit").GetString());
        Assert.Equal("a,b", query.RootElement.GetProperty("tag").GetString());
        using var headers = JsonDocument.Parse(invocation.TriggerMetadata["Headers"].Json);
        Assert.Equal("yes", headers.RootElement.GetProperty("X-Trace-Me").GetString());
    }

    [Fact]
    public void TriggerInputIsAnEmptyRpcHttpAndATraceContextIsAlwaysSent()
    {
        var table = RouteTable.Build([TestFunctions.Http("Health", "health", "get")], "api", constraints: null);
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/health";
        var match = Assert.IsType<RouteMatch.Found>(table.Match("GET", context.Request.Path));

        var invocation = HttpInvocation.Create("invocation-2", match, context.Request);

        var input = Assert.Single(invocation.InputData);
        Assert.Equal("request", input.Name);
        Assert.Equal(TypedData.DataOneofCase.Http, input.Data.DataCase);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", invocation.TraceContext.TraceParent);
    }
}
