using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotSociety.Core.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;

namespace BotSociety.Functions.OpenApi;

/// <summary>
/// Builds the OpenAPI document from the functions' own metadata: each <c>[Function]</c> with an HTTP trigger gives
/// an operation (its name, methods, route and auth level), and the <c>Api*</c> attributes beside it give the
/// rest. Schemas come from the C# types through <see cref="SchemaGenerator"/>, and the bounds the validators and
/// parsers enforce from <see cref="ApiRules"/>.
/// </summary>
internal static partial class OpenApiDocumentBuilder
{
    public const string FunctionKeyScheme = "function_key";
    private const string ProblemJson = "application/problem+json";

    /// <summary>The features, in the order the explorer shows them.</summary>
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Bots", "The bots: their standing, status and today's spend; pause and resume."),
        ("Config", "A bot's live personality, behaviour and model config, its caps, and every change made to it."),
        ("Society", "Threads, replies, votes, follows, the activity feed, the society's pace, and health."),
        ("Stats", "Totals, daily token usage and cost, and reputation over time."),
        ("Memory", "What each bot remembers: warm facts, relationships, opinions and interests, and cold summaries."),
        ("Realtime", "How a dashboard connects to the live event stream."),
        ("Alerts", "Rules that watch the bots and the society, fire once per episode, and tell a webhook with a signed POST."),
        ("Export", "Every row of a table as JSON Lines or CSV, and the whole society as a SQLite file to fork it."),
    ];

    /// <summary>One HTTP function as the worker's metadata describes it.</summary>
    public sealed record HttpFunction(string Name, MethodInfo Method, HttpTriggerAttribute Trigger);

    /// <summary>Every HTTP-triggered function in <paramref name="assembly"/>, the documentation's own ones included.</summary>
    public static IReadOnlyList<HttpFunction> HttpFunctions(Assembly assembly) =>
    [
        .. from type in assembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)
           where function is not null && trigger is not null
           orderby function.Name
           select new HttpFunction(function.Name, method, trigger),
    ];

    public static OpenApiDocument Build(Assembly assembly, string routePrefix, ApiRules rules)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "BotSociety API",
                Version = assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                Description = "Run a society of language-model bots and steer it live. JSON is snake_case; errors are RFC 9457 problem "
                    + "details naming each offending field; lists take limit and offset and return the total. Writes need a function "
                    + "key (header x-functions-key) when the app is not on localhost.",
            },
            // Relative: the API is wherever this document was read from (./run.sh: http://localhost:7071).
            Servers = [new OpenApiServer { Url = "/", Description = "The app that serves this document." }],
            Paths = [],
            Components = new OpenApiComponents
            {
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [FunctionKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = "x-functions-key",
                        Description = "A function or host key of the Functions app. Not checked when the app runs on localhost.",
                    },
                },
            },
            Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description })),
        };
        var schemas = new SchemaGenerator(document, SocietyJson.Options);
        var prefix = string.IsNullOrEmpty(routePrefix) ? "" : "/" + routePrefix.Trim('/');
        // In route order, so the explorer lists a resource's operations together.
        var documented = HttpFunctions(assembly).Where(f => f.Method.GetCustomAttribute<ApiHiddenAttribute>() is null)
            .OrderBy(f => f.Trigger.Route, StringComparer.Ordinal);
        foreach (var function in documented)
        {
            var path = prefix + "/" + RouteParameter().Replace(function.Trigger.Route ?? function.Name, m => "{" + m.Groups["name"].Value + "}");
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            foreach (var verb in function.Trigger.Methods ?? ["get"])
            {
                ((OpenApiPathItem)item).AddOperation(new HttpMethod(verb.ToUpperInvariant()), Operation(document, schemas, rules, function));
            }
        }

        return document;
    }

    private static OpenApiOperation Operation(OpenApiDocument document, SchemaGenerator schemas, ApiRules rules, HttpFunction function)
    {
        var method = function.Method;
        var about = method.GetCustomAttribute<ApiOperationAttribute>()
            ?? throw new InvalidOperationException($"Function {function.Name} has no [ApiOperation]: every API function says what it does.");
        var operation = new OpenApiOperation
        {
            OperationId = function.Name,
            Summary = about.Summary,
            Description = about.Description,
            Tags = new HashSet<OpenApiTagReference> { new(about.Tag, document) },
            Parameters = [],
            Responses = [],
        };

        var routeNames = RouteParameter().Matches(function.Trigger.Route ?? "").Select(m => m.Groups["name"].Value).ToList();
        var namedRoutes = method.GetCustomAttributes<ApiRouteAttribute>().ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var name in routeNames)
        {
            if (namedRoutes.TryGetValue(name, out var named))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Path, Required = true, Description = named.Description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. named.Choices.Select(c => (JsonNode)JsonValue.Create(c))] },
                });
                continue;
            }

            // ApiResults.TryParseId reads every route id.
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Path, Required = true, Description = $"The numeric id ({name}).",
                Schema = Apply(new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" }, FieldRule.Id),
            });
        }

        if (method.GetCustomAttribute<ApiPagedAttribute>() is { } paged)
        {
            var paging = RulesOf(rules, typeof(Paging), function);
            operation.Parameters.Add(Query("limit", $"How many items to return, {paging["limit"].Minimum} to {paging["limit"].Maximum}; {paged.DefaultLimit} by default.",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Default = paged.DefaultLimit }));
            operation.Parameters.Add(Query("offset", "How many items to skip; 0 by default.",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Default = 0 }));
            ApplyToParameters(operation, paging, typeof(Paging), function);
        }

        foreach (var query in method.GetCustomAttributes<ApiQueryAttribute>())
        {
            var parameter = Query(query.Name, query.Description, schemas.For(query.Type, SchemaGenerator.SchemaUse.Request));
            parameter.Required = query.Required;
            operation.Parameters.Add(parameter);
        }

        if (method.GetCustomAttribute<ApiQueryRulesAttribute>() is { } parser)
        {
            ApplyToParameters(operation, RulesOf(rules, parser.Parser, function), parser.Parser, function);
        }

        if (method.GetCustomAttribute<ApiIfMatchAttribute>() is not null)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header,
                Description = "The ETag of the config version this change was made against; a stale one gets 412. Leave it out for last write wins.",
                Schema = Apply(new OpenApiSchema { Type = JsonSchemaType.String }, Api.ApiResults.IfMatchRule),
            });
        }

        var body = method.GetCustomAttribute<ApiBodyAttribute>();
        if (body is not null)
        {
            var schema = schemas.For(body.Type, body.Partial ? SchemaGenerator.SchemaUse.Patch : SchemaGenerator.SchemaUse.Request);
            foreach (var (path, rule) in rules.For(body.Type) ?? new Dictionary<string, FieldRule>())
            {
                Apply(Member(document, schema, path, body.Type), rule);
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Description = body.Description,
                Required = true,
                Content = Content("application/json", schema),
            };
        }

        foreach (var response in method.GetCustomAttributes<ApiResponseAttribute>())
        {
            var answer = Response(schemas, response.Description, response.Status, response.Body, response.ETag);
            if (response.Media is { } media)
            {
                answer.Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal);
                foreach (var type in media)
                {
                    answer.Content[type] = new OpenApiMediaType
                    {
                        Schema = response.Binary ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } : new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }

            operation.Responses[Invariant(response.Status)] = answer;
        }

        // The answers every parameterised route gives, from the one place that produces them (ApiResults).
        if (operation.Parameters.Count > 0 || body is not null)
        {
            operation.Responses.TryAdd("400", Response(schemas, "The request is not valid; errors names each offending field.", 400, null, false));
        }

        // Every write passes CrossSiteWriteGate and RequestBodyGate first.
        if (function.Trigger.Methods?.Any(m => m.ToLowerInvariant() is "post" or "put" or "patch") == true)
        {
            operation.Responses.TryAdd("403", Response(schemas, "A browser sent this write for a page of another site (Origin, Sec-Fetch-Site); Api:AllowedOrigins lists the origins allowed.", 403, null, false));
            operation.Responses.TryAdd("413", Response(schemas, $"The body is longer than {Api.RequestBodyGate.MaxBytes} bytes (1 MiB); it was not read.", 413, null, false));
            operation.Responses.TryAdd("415", Response(schemas, "The body is not application/json.", 415, null, false));
        }

        // Every POST and PUT passes IdempotencyGate.
        if (function.Trigger.Methods?.Any(m => m.ToLowerInvariant() is "post" or "put") == true)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Core.Idempotency.IdempotencyKeys.Header, In = ParameterLocation.Header,
                Description = "Any unique value (IETF draft-ietf-httpapi-idempotency-key-header). The first answer is kept for 24 hours; "
                    + "a repeat with the same key and request gets it again, with Idempotent-Replayed: true, and changes nothing.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Core.Idempotency.IdempotencyKeys.MaxKeyLength },
            });
            operation.Responses.TryAdd("409", Response(schemas, "A request with this Idempotency-Key is still running; repeat it after Retry-After.", 409, null, false));
            operation.Responses.TryAdd("422", Response(schemas, "The Idempotency-Key was first used for another method, path or body.", 422, null, false));
        }

        if (routeNames.Count > 0)
        {
            operation.Responses.TryAdd("404", Response(schemas, "There is no such bot or thread.", 404, null, false));
        }

        // FaultAnswers: what any function may answer when it throws.
        operation.Responses.TryAdd("500", Response(schemas, "An internal error; invocation_id names its log entry.", 500, null, false));
        operation.Responses.TryAdd("503", Response(schemas, "The database cannot take the request right now (locked, disk full, out of reach); Retry-After says when to try again.", 503, null, false));

        if (function.Trigger.AuthLevel != AuthorizationLevel.Anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(FunctionKeyScheme, document)] = [] }];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid function key (only when the app is not on localhost)." });
        }
        else
        {
            // Said outright, so a tool does not take the reads for writes that need a key.
            operation.Security = [];
        }

        return operation;
    }

    private static OpenApiResponse Response(SchemaGenerator schemas, string description, int status, Type? body, bool etag)
    {
        var response = new OpenApiResponse { Description = description };
        if (body is not null)
        {
            response.Content = Content("application/json", schemas.For(body, SchemaGenerator.SchemaUse.Response));
        }
        else if (status >= 400)
        {
            response.Content = Content(ProblemJson, schemas.For(typeof(Api.ProblemDetails), SchemaGenerator.SchemaUse.Response));
        }

        if (etag)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
            {
                ["ETag"] = new OpenApiHeader { Description = "The config's version, for If-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        return response;
    }

    private static IReadOnlyDictionary<string, FieldRule> RulesOf(ApiRules rules, Type type, HttpFunction function) =>
        rules.For(type) ?? throw new InvalidOperationException($"Function {function.Name} names {type.Name} for its rules, and ApiRules has none for it.");

    /// <summary>Each rule on the query parameter of its name; a rule that names no parameter is a mistake in the attributes.</summary>
    private static void ApplyToParameters(OpenApiOperation operation, IReadOnlyDictionary<string, FieldRule> rules, Type source, HttpFunction function)
    {
        foreach (var (name, rule) in rules)
        {
            var parameter = operation.Parameters!.FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Query)
                ?? throw new InvalidOperationException($"{source.Name} has a rule for '{name}', which is not a query parameter of {function.Name}.");
            Apply(parameter.Schema!, rule);
        }
    }

    /// <summary>The schema of the body member at a JSON path such as <c>behavior.skepticism</c>.</summary>
    private static IOpenApiSchema Member(OpenApiDocument document, IOpenApiSchema body, string path, Type type)
    {
        var current = body;
        foreach (var name in path.Split('.'))
        {
            var target = Target(document, current);
            if (target.Properties?.TryGetValue(name, out var member) != true)
            {
                throw new InvalidOperationException($"{type.Name} has a rule for '{path}', which is not a member of its body.");
            }

            current = member!;
        }

        return current;
    }

    /// <summary>The object schema behind a reference, or behind the non-null branch of an "X or null".</summary>
    private static OpenApiSchema Target(OpenApiDocument document, IOpenApiSchema schema) => schema switch
    {
        OpenApiSchemaReference reference => (OpenApiSchema)document.Components!.Schemas![reference.Reference.Id!],
        OpenApiSchema { AnyOf: { Count: > 0 } anyOf } => Target(document, anyOf.First(s => s is not OpenApiSchema { Type: JsonSchemaType.Null })),
        OpenApiSchema plain => plain,
        _ => throw new InvalidOperationException($"A schema of type {schema.GetType().Name} cannot take a rule."),
    };

    /// <summary>States <paramref name="rule"/> on <paramref name="schema"/>: range, lengths, pattern, list size, choices.</summary>
    private static OpenApiSchema Apply(IOpenApiSchema schema, FieldRule rule)
    {
        if (schema is not OpenApiSchema target || target.Type is null)
        {
            throw new InvalidOperationException($"A rule must sit on a plain schema (a number, a text, a list), not on {schema.GetType().Name}.");
        }

        target.Minimum = Number(rule.Minimum) ?? target.Minimum;
        target.Maximum = Number(rule.Maximum) ?? target.Maximum;
        target.MinLength = rule.MinLength ?? target.MinLength;
        target.MaxLength = rule.MaxLength ?? target.MaxLength;
        target.Pattern = rule.Pattern ?? target.Pattern;
        target.MinItems = rule.MinItems ?? target.MinItems;
        target.MaxItems = rule.MaxItems ?? target.MaxItems;
        if (rule.OneOf is { } choices)
        {
            if (target.Type.Value.HasFlag(JsonSchemaType.Null))
            {
                throw new InvalidOperationException("A choice of texts on a member that may be null is not stated yet: the enum would need null.");
            }

            target.Enum = [.. choices.Select(c => (JsonNode)JsonValue.Create(c))];
        }

        if (rule.Items is { } items)
        {
            Apply(target.Items ?? throw new InvalidOperationException("A rule for items sits on a schema that is not a list."), items);
        }

        return target;
    }

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static OpenApiParameter Query(string name, string description, IOpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };

    private static Dictionary<string, IOpenApiMediaType> Content(string mediaType, IOpenApiSchema schema) =>
        new(StringComparer.Ordinal) { [mediaType] = new OpenApiMediaType { Schema = schema } };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A route template's parameter, <c>{bot_id}</c> or <c>{bot_id:int}</c>; the name is what the document shows.</summary>
    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>The serialised document, as OpenAPI 3.1 JSON.</summary>
    public static async Task<string> SerializeAsync(OpenApiDocument document)
    {
        using var stream = new MemoryStream();
        await document.SerializeAsJsonAsync(stream, OpenApiSpecVersion.OpenApi3_1);
        return JsonDocument.Parse(stream.ToArray()).RootElement.GetRawText();
    }
}
