using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace BotSociety.Functions.Tests.Contract;

/// <summary>
/// The served OpenAPI document as a checker: finds the operation a request hit and validates the answer (and an
/// accepted request's body) against the schemas the document gives, with JSON Schema 2020-12 (OpenAPI 3.1's
/// dialect). Formats are asserted, so a timestamp without its UTC offset fails.
/// </summary>
internal sealed class ApiContract
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonObject definitions;
    private readonly List<(Regex Path, string Template, JsonObject Item)> paths;
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);

    public ApiContract(string documentJson)
    {
        Document = JsonNode.Parse(documentJson)!.AsObject();

        // Component references become $defs references, so each schema is a self-contained 2020-12 document.
        var components = Document["components"]?["schemas"]?.ToJsonString() ?? "{}";
        definitions = JsonNode.Parse(components.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        // A literal path (/api/export/society.db) is tried before a template it also fits (/api/export/{table}.{format}), as the hosts route.
        paths = [.. Document["paths"]!.AsObject().Select(p => (PathPattern(p.Key), p.Key, p.Value!.AsObject())).OrderBy(p => p.Key.Count(c => c == '{'))];
    }

    public JsonObject Document { get; }

    /// <summary>The operation for a method and a concrete path, such as GET /api/bots/3/config; null when none is documented.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string path)
    {
        foreach (var (pattern, template, item) in paths)
        {
            if (pattern.IsMatch(path) && item[method.ToLowerInvariant()] is JsonObject operation)
            {
                return (template, operation);
            }
        }

        return null;
    }

    /// <summary>What is wrong with an answer, or null when it matches the document.</summary>
    public string? CheckResponse(JsonObject operation, int status, string? mediaType, string body)
    {
        var responses = operation["responses"]!.AsObject();
        if ((responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"]) is not JsonObject response)
        {
            return $"status {status} is not among the documented answers ({string.Join(", ", responses.Select(r => r.Key))})";
        }

        if (response["content"] is not JsonObject content)
        {
            return body.Length == 0 ? null : $"status {status} is documented without a body, but one came: {Cut(body)}";
        }

        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return $"status {status} came as '{mediaType}', documented as {string.Join(", ", content.Select(c => c.Key))}";
        }

        // An export (JSON Lines, CSV, a SQLite file) is not one JSON value; its media type is what the document states.
        return mediaType is "application/json" or "application/problem+json" ? Validate(media["schema"]!, body, $"{operation["operationId"]} {status}") : null;
    }

    /// <summary>What is wrong with a request body the API accepted, or null when it matches the document.</summary>
    public string? CheckRequest(JsonObject operation, string body) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema
            ? Validate(schema, body, $"{operation["operationId"]} request")
            : null;

    private string? Validate(JsonNode schemaNode, string body, string key)
    {
        var schema = schemas.GetOrAdd(key, _ =>
        {
            var wrapper = schemaNode.DeepClone().AsObject();
            wrapper["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            wrapper["$defs"] = definitions.DeepClone();
            var text = wrapper.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            return JsonSchema.FromText(text);
        });

        using var instance = JsonDocument.Parse(body);
        var result = schema.Evaluate(instance.RootElement, Evaluation);
        if (result.IsValid)
        {
            return null;
        }

        var reasons = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Take(8);
        return $"the body does not match its schema: {string.Join("; ", reasons)}\nbody: {Cut(body)}";
    }

    private static Regex PathPattern(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    private static string Cut(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
