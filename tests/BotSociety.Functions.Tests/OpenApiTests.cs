using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using BotSociety.DevHost.Tests.EndToEnd;
using BotSociety.Functions.OpenApi;
using BotSociety.Functions.Tests.Contract;
using Microsoft.OpenApi;

namespace BotSociety.Functions.Tests;

/// <summary>
/// The OpenAPI document and the code agree: every HTTP function in the worker's own metadata (functions.metadata,
/// which the Functions host reads) is documented with its route, methods and auth level; the document is valid
/// OpenAPI; the explorer is served from local files. Responses are checked against it in every end-to-end test
/// through <see cref="ContractCheckingHandler"/>. Every bound the document states (minimum, maximum, lengths, pattern,
/// list sizes, choices) comes from the validators' own rules (<see cref="ApiRules"/>), and the server refuses exactly
/// past it.
/// </summary>
public sealed partial class OpenApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    private static readonly string[] FeatureTags = ["Bots", "Config", "Society", "Stats", "Memory", "Realtime", "Alerts", "Export"];

    // The bot whose config the bound probes change (and reset at the end); the other tests here read bot 1.
    private const int ProbedBot = 6;

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
                // Said outright either way: the function key on writes, none (security: []) on anonymous reads.
                Assert.True(entry.Operation["security"] is JsonArray, $"{name} has no security member");
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

        // Relative: the API is where the document was read from.
        Assert.Equal("/", Assert.Single(read.Document.Servers!).Url);

        // Problem details as the API writes them: errors maps each field to its messages; current_version comes with 412.
        var problem = society.Contract.Document["components"]!["schemas"]!["ProblemDetails"]!.AsObject();
        Assert.Equal(["type", "title", "status", "detail"], Strings(problem["required"]));
        Assert.False(problem["additionalProperties"]!.GetValue<bool>());
        var errors = problem["properties"]!["errors"]!;
        Assert.Equal("object", errors["type"]!.GetValue<string>());
        Assert.Equal("array", errors["additionalProperties"]!["type"]!.GetValue<string>());
        Assert.Equal("string", errors["additionalProperties"]!["items"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", problem["properties"]!["current_version"]!["type"]!.GetValue<string>());
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

    [Fact]
    public async Task TheServedDocumentIsTheOneBuiltFromTheValidatorsRules()
    {
        var built = await DocumentAsync(ApiRules.Default);
        Assert.True(JsonNode.DeepEquals(built, society.Contract.Document), "the served document is not the one ApiRules.Default gives");

        // What the validators enforce, stated: a sample of each kind of rule.
        var behavior = Schema(society.Contract.Document, "BehaviorSectionPatch", "skepticism");
        Assert.Equal((0d, 100d), (behavior["minimum"]!.GetValue<double>(), behavior["maximum"]!.GetValue<double>()));
        Assert.Equal(PersonaVocabulary.CommunicationStyles, Strings(Schema(society.Contract.Document, "PersonalitySectionPatch", "communication_style")["enum"]));
        Assert.Equal(PersonalityConfigValidator.MaxTextLength, Schema(society.Contract.Document, "PersonalitySectionPatch", "bio")["maxLength"]!.GetValue<int>());
        var listActivity = Operation(society.Contract.Document, "ListActivity");
        Assert.Equal(ActivityActions.All, Strings(Parameter(listActivity, "action")["schema"]!["enum"]));
        Assert.Equal(Paging.MaxLimit, Parameter(listActivity, "limit")["schema"]!["maximum"]!.GetValue<int>());
    }

    [Fact]
    public async Task ABoundChangedInTheRulesReachesTheDocumentAndTheValidatorAlike()
    {
        // One rule changed, as a change in PersonalityConfigValidator.Rules would change it.
        var rules = ApiRules.Default.With(typeof(PersonalityConfig), "behavior.skepticism", FieldRule.Between(10, 50));
        var document = await DocumentAsync(rules);
        var skepticism = Schema(document, "BehaviorSectionPatch", "skepticism");
        Assert.Equal((10d, 50d), (skepticism["minimum"]!.GetValue<double>(), skepticism["maximum"]!.GetValue<double>()));
        Assert.Equal(100, Schema(document, "BehaviorSectionPatch", "shyness")["maximum"]!.GetValue<double>());

        // The validator reads the same table: what the changed document refuses, it refuses, with the new bound.
        var config = new PersonalityConfig(
            new PersonalitySection("A bot.", ["curious"], "formal", ["science"], [], null),
            new BehaviorSection(50, 50, 60, 50, 50, "active"),
            new ModelSection("offline", "offline-simulator", 0.5, 512));
        Assert.Empty(PersonalityConfigValidator.Validate(config));
        var error = Assert.Single(PersonalityConfigValidator.Validate(config, rules: rules.For(typeof(PersonalityConfig))));
        Assert.Equal(new FieldError("behavior.skepticism", "is 60; it must be between 10 and 50"), error);

        // Query rules reach every operation that reads them: paging's limit, the activity filter's choices.
        var wider = await DocumentAsync(ApiRules.Default.With(typeof(Paging), "limit", FieldRule.Between(1, 500))
            .With(typeof(ActivityFilter), "action", FieldRule.Choice([ActivityActions.Reply, ActivityActions.Vote])));
        var paged = Operations(wider).Where(o => o["parameters"] is JsonArray list && list.Any(p => p!["name"]!.GetValue<string>() == "offset")).ToList();
        Assert.True(paged.Count >= 8, $"only {paged.Count} paged operations");
        Assert.All(paged, o => Assert.Equal(500, Parameter(o, "limit")["schema"]!["maximum"]!.GetValue<int>()));
        Assert.Equal(["reply", "vote"], Strings(Parameter(Operation(wider, "ListActivity"), "action")["schema"]!["enum"]));

        // A rule that names no member or parameter is a mistake the builder will not pass over.
        Assert.Throws<InvalidOperationException>(() => OpenApiDocumentBuilder.Build(
            typeof(ApiRules).Assembly, "api", ApiRules.Default.With(typeof(PersonalityConfig), "behavior.boldness", FieldRule.Between(0, 1))));
    }

    [Fact]
    public async Task EveryOperationThatReadsIfMatchDocumentsItAsAHeader()
    {
        // A malformed If-Match is a 400 naming the header from every function that reads it, and is ignored by the rest.
        // Ids no bot has, and bodies missing what they need, so that no request changes anything.
        var readers = new List<string>();
        foreach (var (path, method, operation) in OperationsWithMethods(society.Contract.Document))
        {
            var target = Regex.Replace(path, @"\{[^}]+\}", "999999");
            var (status, text) = await SendAsync(new HttpMethod(method.ToUpperInvariant()), target, operation["requestBody"] is null ? null : "{}", ifMatch: "version-3");
            var refusedForIfMatch = status == HttpStatusCode.BadRequest && JsonNode.Parse(text)!["errors"]!.AsObject().ContainsKey("If-Match");
            var documented = (operation["parameters"] as JsonArray ?? []).Any(p => p!["name"]!.GetValue<string>() == "If-Match" && p["in"]!.GetValue<string>() == "header");
            Assert.True(refusedForIfMatch == documented, $"{method.ToUpperInvariant()} {path}: reads If-Match {refusedForIfMatch}, documents it {documented}");
            if (documented)
            {
                readers.Add(operation["operationId"]!.GetValue<string>());
            }
        }

        Assert.Equal<IEnumerable<string>>(["ResetBotConfig", "UpdateBotConfig"], readers.Order());
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, string? json, string? ifMatch = null)
    {
        var (response, text) = await society.SendAsync(method, path, json, ifMatch);
        using (response)
        {
            return (response.StatusCode, text);
        }
    }

    /// <summary>The document <see cref="OpenApiDocumentBuilder"/> makes from <paramref name="rules"/>, as the worker would serve it.</summary>
    private static async Task<JsonObject> DocumentAsync(ApiRules rules) =>
        JsonNode.Parse(await OpenApiDocumentBuilder.SerializeAsync(OpenApiDocumentBuilder.Build(typeof(ApiRules).Assembly, "api", rules)))!.AsObject();

    private static JsonObject Schema(JsonObject document, string component, string property) =>
        document["components"]!["schemas"]![component]!["properties"]![property]!.AsObject();

    private static JsonObject Ref(JsonObject document, JsonNode schema) =>
        schema["$ref"] is { } reference
            ? document["components"]!["schemas"]![reference.GetValue<string>()["#/components/schemas/".Length..]]!.AsObject()
            : schema.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> OperationsWithMethods(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key, o.Value!.AsObject())));

    private static IEnumerable<JsonObject> Operations(JsonObject document) => OperationsWithMethods(document).Select(o => o.Operation);

    private static IEnumerable<(string Path, JsonObject Operation)> Operations(JsonObject document, string method) =>
        OperationsWithMethods(document).Where(o => o.Method == method).Select(o => (o.Path, o.Operation));

    private static JsonObject Operation(JsonObject document, string operationId) =>
        Operations(document).Single(o => o["operationId"]!.GetValue<string>() == operationId);

    private static JsonObject Parameter(JsonObject operation, string name) =>
        operation["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!.AsObject();

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

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
