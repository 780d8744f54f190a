using BotSociety.DevHost.Http;
using BotSociety.DevHost.Worker;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.DevHost.Tests.Unit;

public sealed class RouteTableTests
{
    private static readonly IInlineConstraintResolver Constraints =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    [Fact]
    public void LiteralRouteMatchesUnderThePrefix()
    {
        var table = Table("api", TestFunctions.Http("Health", "health", "get"));

        var found = Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/health"));

        Assert.Equal("Health", found.Route.FunctionName);
        Assert.Equal("request", found.Route.TriggerBindingName);
        Assert.Empty(found.Values);
    }

    [Fact]
    public void PathWithoutThePrefixDoesNotMatch()
    {
        var table = Table("api", TestFunctions.Http("Health", "health", "get"));

        Assert.IsType<RouteMatch.NoRoute>(table.Match("GET", "/health"));
        Assert.IsType<RouteMatch.NoRoute>(table.Match("GET", "/api/healthz"));
    }

    [Fact]
    public void CustomAndEmptyPrefixesComeFromHostJson()
    {
        Assert.IsType<RouteMatch.Found>(Table("v1/public", TestFunctions.Http("Health", "health", "get")).Match("GET", "/v1/public/health"));
        Assert.IsType<RouteMatch.Found>(Table("", TestFunctions.Http("Health", "health", "get")).Match("GET", "/health"));
    }

    [Fact]
    public void FunctionNameIsTheRouteWhenNoneIsGiven()
    {
        var table = Table("api", TestFunctions.Http("ListBots", route: null, "get"));

        Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/ListBots"));
    }

    [Fact]
    public void ParameterCapturesItsSegmentAsAString()
    {
        var table = Table("api", TestFunctions.Http("GetBot", "bots/{id}", "get"));

        var found = Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/bots/42"));

        Assert.Equal("42", found.Values["id"]);
    }

    [Fact]
    public void OptionalParameterMatchesWithAndWithoutItsSegment()
    {
        var table = Table("api", TestFunctions.Http("Threads", "threads/{topic?}", "get"));

        var with = Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/threads/chess"));
        var without = Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/threads"));

        Assert.Equal("chess", with.Values["topic"]);
        Assert.False(without.Values.ContainsKey("topic"));
    }

    [Fact]
    public void ConstraintIsCheckedWhenRoutingCanResolveIt()
    {
        var table = Table("api", TestFunctions.Http("GetBot", "bots/{id:int}", "get"));

        Assert.Equal("7", Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/bots/7")).Values["id"]);
        Assert.IsType<RouteMatch.NoRoute>(table.Match("GET", "/api/bots/seven"));
    }

    [Fact]
    public void ConstraintTextIsIgnoredWithoutAResolver()
    {
        var table = RouteTable.Build([TestFunctions.Http("GetBot", "bots/{id:int}", "get")], "api", constraints: null);

        Assert.Equal("seven", Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/bots/seven")).Values["id"]);
    }

    [Fact]
    public void MethodMismatchIsMethodNotAllowedListingTheAllowedMethods()
    {
        var table = Table("api", TestFunctions.Http("ListBots", "bots", "get"), TestFunctions.Http("AddBot", "bots", "post"));

        var notAllowed = Assert.IsType<RouteMatch.MethodNotAllowed>(table.Match("DELETE", "/api/bots"));

        Assert.Equal(["GET", "POST"], notAllowed.Allowed.Order());
        Assert.Equal("AddBot", Assert.IsType<RouteMatch.Found>(table.Match("post", "/api/bots")).Route.FunctionName);
    }

    [Fact]
    public void NoMethodsMeansAnyMethod()
    {
        var table = Table("api", TestFunctions.Http("Echo", "echo"));

        Assert.IsType<RouteMatch.Found>(table.Match("PATCH", "/api/echo"));
    }

    [Fact]
    public void LiteralSegmentWinsOverAParameterWhateverTheOrder()
    {
        var table = Table("api", TestFunctions.Http("GetBot", "bots/{name}", "get"), TestFunctions.Http("BotStats", "bots/stats", "get"));

        Assert.Equal("BotStats", Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/bots/stats")).Route.FunctionName);
        Assert.Equal("GetBot", Assert.IsType<RouteMatch.Found>(table.Match("GET", "/api/bots/ada")).Route.FunctionName);
    }

    [Fact]
    public void TimerFunctionsHaveNoRoute()
    {
        var table = Table("api", TestFunctions.Timer("Heartbeat", "* * * * * *"));

        Assert.Empty(table.Routes);
        Assert.IsType<RouteMatch.NoRoute>(table.Match("GET", "/api/Heartbeat"));
    }

    private static RouteTable Table(string prefix, params WorkerFunction[] functions) =>
        RouteTable.Build(functions, prefix, Constraints);
}
