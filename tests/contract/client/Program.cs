using BotSociety.ContractClient.Kiota;
using BotSociety.ContractClient.Kiota.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Bundle;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

// Drives the API at the address given through the client Kiota generated from that API's own OpenAPI document, as an
// outside tool would use it. One line per check, "ok - <check>" or "not ok - <check>: <why>", which run.sh counts;
// exit status 1 when any check failed. The client is made with Kiota's backing store (-b), so a member set to null
// is sent as null (BackingStoreSerializationWriterProxyFactory writes the keys changed to null) and members never
// set are not sent at all: what a partial update and a cap reset need.
if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var api))
{
    Console.Error.WriteLine("usage: BotSociety.ContractClient <the API's base address, such as http://127.0.0.1:7071>");
    return 2;
}

using var adapter = new DefaultRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = api.ToString().TrimEnd('/') };
var client = new BotSocietyClient(adapter);
var failed = 0;

async Task Check(string name, Func<Task> body)
{
    try
    {
        await body();
        Console.WriteLine($"ok - {name}");
    }
    catch (Exception e)
    {
        failed++;
        var why = e is ProblemDetails problem ? $"{problem.ResponseStatusCode} {problem.Title} {problem.Detail}" : $"{e.GetType().Name}: {e.Message}";
        Console.WriteLine($"not ok - {name}: {why.ReplaceLineEndings(" ")}");
    }
}

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException(what);
    }
}

// The operations under test act on one bot, the first of the list; each check needs the one before it.
var botId = 0;
await Check("lists bots (GET /api/bots with limit and offset)", async () =>
{
    var page = await client.Api.Bots.GetAsync(c => { c.QueryParameters.Limit = 3; c.QueryParameters.Offset = 0; });
    Expect(page?.Items is { Count: > 0 and <= 3 }, $"expected 1 to 3 bots, got {page?.Items?.Count}");
    Expect(page!.Limit == 3 && page.Offset == 0 && page.Total >= page.Items!.Count, $"limit {page.Limit}, offset {page.Offset}, total {page.Total}");
    Expect(page.Items!.All(b => b.Id > 0 && !string.IsNullOrEmpty(b.Name) && b.PersonalityConfig?.Behavior is not null), "a bot without id, name or config");
    botId = page.Items![0].Id!.Value;
});

var bot = client.Api.Bots[botId];
BotConfigView? read = null;
var etag = "";
await Check("reads a bot's config and its ETag (GET /api/bots/{bot_id}/config)", async () =>
{
    var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    read = await bot.Config.GetAsync(c => c.Options.Add(headers));
    Expect(read is { Version: not null, Behavior.Skepticism: not null }, "no version or behaviour in the config");
    etag = headers.ResponseHeaders.TryGetValue("ETag", out var values) ? values.Single() : "";
    Expect(etag == $"\"{read!.Version}\"", $"ETag '{etag}' is not the version {read.Version} in quotes");
});

BotConfigView? changed = null;
await Check("changes one member with If-Match; only that member is sent and changed (PUT /api/bots/{bot_id}/config)", async () =>
{
    Expect(read is not null, "the config was not read");
    var skepticism = read!.Behavior!.Skepticism == 80 ? 70 : 80;
    var patch = new PersonalityConfigPatch { Behavior = new BehaviorSectionPatch { Skepticism = skepticism } };
    changed = await bot.Config.PutAsync(patch, c => c.Headers.Add("If-Match", etag));
    Expect(changed?.Behavior?.Skepticism == skepticism, $"skepticism is {changed?.Behavior?.Skepticism}, not {skepticism}");
    Expect(changed!.Version == read.Version + 1, $"version {changed.Version} after {read.Version}");
    Expect(changed.Behavior!.Shyness == read.Behavior.Shyness && changed.Personality!.Bio == read.Personality!.Bio
        && changed.Model!.Temperature == read.Model!.Temperature, "a member the patch did not name changed");

    // The history records exactly the members the request changed: the client sent no other.
    var history = await bot.Config.History.GetAsync(c => c.QueryParameters.Limit = 1);
    var fields = history?.Items?.FirstOrDefault()?.Fields ?? [];
    Expect(fields.SequenceEqual(["behavior.skepticism"]), $"the change touched [{string.Join(", ", fields)}]");
});

await Check("a stale If-Match is refused with 412 and current_version", async () =>
{
    Expect(changed is not null, "the config was not changed before");
    try
    {
        await bot.Config.PutAsync(new PersonalityConfigPatch { Behavior = new BehaviorSectionPatch { Shyness = 10 } }, c => c.Headers.Add("If-Match", etag));
        Expect(false, "a write against the old version was accepted");
    }
    catch (ProblemDetails problem) when (problem.ResponseStatusCode == 412)
    {
        Expect(problem.CurrentVersion == changed!.Version, $"current_version {problem.CurrentVersion}, expected {changed.Version}");
    }
});

await Check("a trait out of its documented range is refused with 400 naming the field in errors", async () =>
{
    try
    {
        await bot.Config.PutAsync(new PersonalityConfigPatch { Behavior = new BehaviorSectionPatch { Skepticism = 101 } });
        Expect(false, "skepticism 101 was accepted");
    }
    catch (ProblemDetails problem) when (problem.ResponseStatusCode == 400)
    {
        var fields = problem.Errors?.AdditionalData.Keys ?? [];
        Expect(fields.SequenceEqual(["behavior.skepticism"]), $"errors named [{string.Join(", ", fields)}]");
    }
});

await Check("sets custom daily caps (PUT /api/bots/{bot_id}/cost-cap)", async () =>
{
    var caps = await bot.CostCap.PutAsync(new CostCapRequest { DailyTokenCap = 50_000, DailyCostCapUsd = 2.5 });
    Expect(caps?.DailyTokenCap is { Value: 50_000, Source: "custom" }, $"token cap {caps?.DailyTokenCap?.Value} ({caps?.DailyTokenCap?.Source})");
    Expect(caps!.DailyCostCapUsd is { Value: 2.5, Source: "custom" }, $"cost cap {caps.DailyCostCapUsd?.Value} ({caps.DailyCostCapUsd?.Source})");
});

await Check("sets the cost cap back to the default with an explicit null", async () =>
{
    // The server requires both members (a left-out one is a 400), so a 200 shows the null went out as null.
    var caps = await bot.CostCap.PutAsync(new CostCapRequest { DailyTokenCap = 50_000, DailyCostCapUsd = null });
    Expect(caps?.DailyCostCapUsd?.Source == "default", $"cost cap {caps?.DailyCostCapUsd?.Value} ({caps?.DailyCostCapUsd?.Source}), not the default");
    Expect(caps!.DailyTokenCap is { Value: 50_000, Source: "custom" }, $"token cap {caps.DailyTokenCap?.Value} ({caps.DailyTokenCap?.Source})");
});

await Check("pauses the bot (POST /api/bots/{bot_id}/pause)", async () =>
{
    var paused = await bot.Pause.PostAsync();
    Expect(paused?.Status == "paused", $"status {paused?.Status} after pause");
    Expect((await bot.GetAsync())?.Status == "paused", "the bot does not read as paused");
});

await Check("resumes the bot (POST /api/bots/{bot_id}/resume)", async () =>
{
    var resumed = await bot.Resume.PostAsync();
    Expect(resumed?.Status == "active", $"status {resumed?.Status} after resume");
    Expect((await bot.GetAsync())?.Status == "active", "the bot does not read as active");
});

return failed == 0 ? 0 : 1;
