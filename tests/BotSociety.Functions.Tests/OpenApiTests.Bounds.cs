using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BotSociety.Functions.Tests;

/// <summary>Every bound the document states is where the server starts refusing: probed over HTTP at and past it.</summary>
public sealed partial class OpenApiTests
{
    [Fact]
    public async Task EveryBoundOfTheConfigBodyIsWhereTheServerRefuses()
    {
        // Each member of the partial config update with a bound in the served document: the server takes the value at
        // the bound and refuses, naming the member, the value just past it.
        var document = society.Contract.Document;
        var body = Ref(document, Operation(document, "UpdateBotConfig")["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var probes = 0;
        try
        {
            foreach (var (section, sectionSchema) in body["properties"]!.AsObject())
            {
                foreach (var (member, schema) in Ref(document, sectionSchema!)["properties"]!.AsObject())
                {
                    foreach (var (value, accepted) in Probes(schema!.AsObject()))
                    {
                        probes++;
                        var json = new JsonObject { [section] = new JsonObject { [member] = value } }.ToJsonString();
                        var (status, text) = await SendAsync(HttpMethod.Put, $"/api/bots/{ProbedBot}/config", json);
                        var field = $"{section}.{member}";
                        if (accepted)
                        {
                            // A choice the server may refuse for another reason only: a provider without its key.
                            Assert.True(status == HttpStatusCode.OK || (status == HttpStatusCode.BadRequest && !text.Contains("must be one of", StringComparison.Ordinal)
                                && text.Contains("has no key", StringComparison.Ordinal)), $"{json} is within the document, and the server answered {status}: {text}");
                        }
                        else
                        {
                            Assert.True(status == HttpStatusCode.BadRequest, $"{json} is outside the document, and the server answered {status}: {text}");
                            var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
                            Assert.True(errors.Any(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal)), $"{json} was refused, but not for {field}: {text}");
                        }
                    }
                }
            }
        }
        finally
        {
            await SendAsync(HttpMethod.Post, $"/api/bots/{ProbedBot}/config/reset", null);
        }

        Assert.True(probes >= 60, $"only {probes} probes: the document states fewer bounds than expected");
    }

    [Fact]
    public async Task EveryBoundOfAReadsQueryIsWhereTheServerRefuses()
    {
        var probes = 0;
        foreach (var (path, operation) in Operations(society.Contract.Document, "get"))
        {
            // A route id is 1; a route name (an export's table and format) is its first choice.
            var target = Regex.Replace(path, @"\{(?<name>[^}]+)\}", m => (operation["parameters"] as JsonArray ?? [])
                .Select(p => p!.AsObject()).FirstOrDefault(p => p["name"]!.GetValue<string>() == m.Groups["name"].Value)?["schema"]?["enum"]?[0]?.GetValue<string>() ?? "1");
            foreach (var parameter in (operation["parameters"] as JsonArray ?? []).Select(p => p!.AsObject()).Where(p => p["in"]!.GetValue<string>() == "query"))
            {
                var name = parameter["name"]!.GetValue<string>();
                foreach (var (value, accepted) in Probes(parameter["schema"]!.AsObject()))
                {
                    probes++;
                    var url = $"{target}?{name}={Uri.EscapeDataString(value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value!.ToJsonString())}";
                    var (status, answer) = await SendAsync(HttpMethod.Get, url, null);
                    if (accepted)
                    {
                        // An export names a bot that must exist (no bot 0): a 404 saying so is an answer, not a refusal of the value.
                        var noSuchBot = status == HttpStatusCode.NotFound && answer.Contains("There is no bot", StringComparison.Ordinal) && path.Contains("/export/", StringComparison.Ordinal);
                        Assert.True(status == HttpStatusCode.OK || noSuchBot, $"GET {url} is within the document, and the server answered {status}: {answer}");
                    }
                    else
                    {
                        Assert.True(status == HttpStatusCode.BadRequest, $"GET {url} is outside the document, and the server answered {status}: {answer}");
                        Assert.True(JsonNode.Parse(answer)!["errors"]!.AsObject().ContainsKey(name), $"GET {url} was refused, but not for {name}: {answer}");
                    }
                }
            }
        }

        Assert.True(probes >= 40, $"only {probes} probes: the document states fewer bounds than expected");
    }

    /// <summary>
    /// Values at each bound of a schema (accepted) and just past it (refused): range, lengths, blank text, list sizes and
    /// item rules, choices and a value outside them.
    /// </summary>
    private static IEnumerable<(JsonNode? Value, bool Accepted)> Probes(JsonObject schema)
    {
        var types = schema["type"] is JsonArray many ? Strings(many) : [schema["type"]?.GetValue<string>() ?? ""];
        var step = types.Contains("integer") ? 1 : 0.01;
        JsonNode Number(double value) => types.Contains("integer") ? JsonValue.Create((long)value) : JsonValue.Create(value);
        if (schema["minimum"] is { } minimum)
        {
            yield return (Number(minimum.GetValue<double>()), true);
            yield return (Number(minimum.GetValue<double>() - step), false);
        }

        if (schema["maximum"] is { } maximum)
        {
            yield return (Number(maximum.GetValue<double>()), true);
            yield return (Number(maximum.GetValue<double>() + step), false);
        }

        if (schema["enum"] is JsonArray choices)
        {
            foreach (var choice in choices)
            {
                yield return (choice!.DeepClone(), true);
            }

            yield return ("not-one-of-them", false);
        }

        if (types.Contains("string"))
        {
            foreach (var probe in TextProbes(schema))
            {
                yield return probe;
            }
        }

        if (types.Contains("array") && schema["items"] is JsonObject items)
        {
            var valid = TextProbes(items).Where(p => p.Accepted).Select(p => p.Value).FirstOrDefault() ?? "item";
            if (schema["maxItems"] is { } maxItems)
            {
                yield return (new JsonArray([.. Enumerable.Range(0, maxItems.GetValue<int>()).Select(_ => valid.DeepClone())]), true);
                yield return (new JsonArray([.. Enumerable.Range(0, maxItems.GetValue<int>() + 1).Select(_ => valid.DeepClone())]), false);
            }

            if (schema["minItems"] is { } minItems && minItems.GetValue<int>() > 0)
            {
                yield return (new JsonArray([.. Enumerable.Range(0, minItems.GetValue<int>() - 1).Select(_ => valid.DeepClone())]), false);
            }

            foreach (var (item, accepted) in TextProbes(items))
            {
                yield return (new JsonArray(item), accepted);
            }
        }
    }

    private static IEnumerable<(JsonNode? Value, bool Accepted)> TextProbes(JsonObject schema)
    {
        if (schema["maxLength"] is { } maxLength)
        {
            yield return (new string('x', maxLength.GetValue<int>()), true);
            yield return (new string('x', maxLength.GetValue<int>() + 1), false);
        }

        if (schema["minLength"] is { } minLength && minLength.GetValue<int>() > 0)
        {
            yield return (new string('x', minLength.GetValue<int>() - 1), false);
        }

        if (schema["pattern"]?.GetValue<string>() == @"\S")
        {
            yield return ("   ", false);
        }
    }
}
