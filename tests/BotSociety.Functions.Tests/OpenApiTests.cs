using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotSociety.DevHost.Tests.EndToEnd;
using BotSociety.Functions.Tests.Contract;
using Microsoft.OpenApi;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The OpenAPI document and the code agree: every HTTP function in the worker's own metadata (functions.metadata,
/// which the Functions host reads) is documented with its route, methods and auth level; the document is valid
/// OpenAPI; the explorer is served from local files. Responses are checked against it in every end-to-end test
/// through <see cref="ContractCheckingHandler"/>.
/// </summary>
public sealed partial class OpenApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private static readonly string[] FeatureTags = ["Bots", "Config", "Society", "Stats", "Memory", "Realtime"];

    [Fact]
    public void EveryHttpFunctionIsDocumentedWithItsRouteMethodsAndAuthLevel()
    {
        var documented = society.Contract.Document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!.AsObject())))
            .ToDictionary(o => o.Operation["operationId"]!.GetValue<string>() + " " + o.Method, StringComparer.Ordinal);

        var functions = HttpFunctions().Where(f => !IsDocumentation(f.Route)).ToList();
        Assert.True(functions.Count >= 20, $"functions.metadata lists only {functions.Count} HTTP functions");
        foreach (var (name, route, methods, authLevel) in functions)
        {
            foreach (var method in methods)
            {
                Assert.True(documented.TryGetValue($"{name} {method}", out var entry), $"{name} ({method.ToUpperInvariant()} {route}) is not in the document");
                Assert.Equal("/api/" + RouteConstraint().Replace(route, ""), entry.Path);
                var secured = entry.Operation["security"] is JsonArray { Count: > 0 };
                Assert.True(secured == (authLevel != "Anonymous"), $"{name}: auth level {authLevel}, but the document says secured={secured}");
                Assert.Contains(entry.Operation["tags"]![0]!.GetValue<string>(), FeatureTags);
                Assert.False(string.IsNullOrWhiteSpace(entry.Operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            }
        }

        // Nothing documented that the worker does not have.
        Assert.Equal(functions.Sum(f => f.Methods.Count), documented.Count);
    }

    [Fact]
    public void WritesNeedAFunctionKeyAndReadsAreAnonymous()
    {
        foreach (var (name, _, methods, authLevel) in HttpFunctions())
        {
            var writes = methods.Any(m => m is "post" or "put" or "patch" or "delete");
            Assert.True(authLevel == (writes ? "Function" : "Anonymous"), $"{name} ({string.Join(",", methods)}) has auth level {authLevel}");
        }
    }

    [Fact]
    public async Task TheDocumentIsValidOpenApiAtBothAddresses()
    {
        var v3 = await society.Http.GetStringAsync(new Uri("/api/openapi/v3.json", UriKind.Relative));
        var swagger = await society.Http.GetStringAsync(new Uri("/api/swagger.json", UriKind.Relative));
        Assert.Equal(v3, swagger);

        var read = OpenApiDocument.Parse(v3, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.StartsWith("3.1", read.Diagnostic?.SpecificationVersion switch { OpenApiSpecVersion.OpenApi3_1 => "3.1", var other => other.ToString() }, StringComparison.Ordinal);
        Assert.Equal(FeatureTags.Order(), read.Document!.Tags!.Select(t => t.Name!).Order());

        // Problem answers are problem details, and the config's answers carry the ETag an If-Match names.
        var put = read.Document.Paths["/api/bots/{bot_id}/config"].Operations![HttpMethod.Put];
        Assert.Contains("application/problem+json", put.Responses!["412"].Content!.Keys);
        Assert.Contains("ETag", put.Responses["200"].Headers!.Keys);
        Assert.Contains(put.Parameters!, p => p.Name == "If-Match" && p.In == ParameterLocation.Header);
    }

    [Fact]
    public async Task TheExplorerIsServedFromLocalFiles()
    {
        using var page = await society.Http.GetAsync(new Uri("/api/swagger/ui", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Equal(3, assets.Count);
        foreach (var asset in assets)
        {
            Assert.StartsWith("/api/swagger/ui/", asset, StringComparison.Ordinal);
            using var file = await society.Http.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{asset} answered {file.StatusCode}");
            Assert.True((await file.Content.ReadAsByteArrayAsync()).Length > 100, $"{asset} is nearly empty");
        }

        Assert.Contains("url: \"/api/openapi/v3.json\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        using var traversal = await society.Http.GetAsync(new Uri("/api/swagger/ui/..%2Fhost.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task TheCheckerRejectsAnswersTheDocumentDoesNotDescribe()
    {
        // The checker itself can fail: a member the schema does not have, a wrong type, a timestamp without offset.
        var (_, operation) = society.Contract.Find("GET", "/api/bots/1") ?? throw new InvalidOperationException("GET /api/bots/{bot_id} is not documented");
        var bot = JsonNode.Parse(await society.Http.GetStringAsync(new Uri("/api/bots/1", UriKind.Relative)))!.AsObject();
        Assert.Null(society.Contract.CheckResponse(operation, 200, "application/json", bot.ToJsonString()));

        var extra = bot.DeepClone().AsObject();
        extra["surprise"] = 1;
        Assert.Contains("surprise", society.Contract.CheckResponse(operation, 200, "application/json", extra.ToJsonString()), StringComparison.Ordinal);

        var wrongType = bot.DeepClone().AsObject();
        wrongType["reputation_score"] = "high";
        Assert.NotNull(society.Contract.CheckResponse(operation, 200, "application/json", wrongType.ToJsonString()));

        var localTime = bot.DeepClone().AsObject();
        localTime["next_heartbeat_at"] = "2026-11-27T10:00:00";
        Assert.NotNull(society.Contract.CheckResponse(operation, 200, "application/json", localTime.ToJsonString()));

        Assert.NotNull(society.Contract.CheckResponse(operation, 418, "application/json", "{}"));
    }

    private static List<(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel)> HttpFunctions()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuiltArtefacts.FunctionsApp, "functions.metadata")));
        var found = new List<(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel)>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "httpTrigger"))
            {
                found.Add((
                    function.GetProperty("name").GetString()!,
                    binding.GetProperty("route").GetString()!,
                    [.. binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant())],
                    binding.GetProperty("authLevel").GetString()!));
            }
        }

        return found;
    }

    private static bool IsDocumentation(string route) => route.StartsWith("openapi/", StringComparison.Ordinal) || route.StartsWith("swagger", StringComparison.Ordinal);

    [GeneratedRegex(@":[^}]+")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex AssetReference();
}
