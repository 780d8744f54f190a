using System.Net;
using System.Text.Json;
using BotSociety.DevHost.Tests.EndToEnd;
using BotSociety.Functions.Tests.Contract;

namespace BotSociety.Functions.Tests;

/// <summary>
/// One devhost running the real worker on a fresh society, driven through the admin API until
/// the society has threads, replies, votes and follows to read; shared by the tests of a class. Every answer
/// through <see cref="Http"/> is held to the served OpenAPI document (<see cref="ContractCheckingHandler"/>).
/// </summary>
public sealed class PopulatedSociety : IAsyncLifetime, IDisposable
{
    // Enough ticks for every kind of row, few enough that the whole feed fits one page of 200.
    private const int MaxTicks = 12;

    private SocietyDatabase? database;
    private DevHostProcess? devHost;
    private HttpClient? http;
    private ApiContract? contract;

    public HttpClient Http => http ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>The OpenAPI document the app serves, as a checker.</summary>
    internal ApiContract Contract => contract ?? throw new InvalidOperationException("The fixture is not started.");

    internal string Output => devHost?.Output ?? "";

    public async Task InitializeAsync()
    {
        database = await SocietyDatabase.CreateAsync();
        devHost = DevHostProcess.Start(database.Folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        contract = new ApiContract(await devHost.Http.GetStringAsync(new Uri("/api/openapi/v3.json", UriKind.Relative)));
        http = new HttpClient(new ContractCheckingHandler(() => Contract)) { BaseAddress = devHost.Http.BaseAddress, Timeout = devHost.Http.Timeout };

        for (var tick = 0; tick < MaxTicks; tick++)
        {
            await MakeEveryBotDueAsync();
            await RunAsync("Heartbeat");
            using var stats = await GetJsonAsync("/api/stats");
            var totals = stats.RootElement.GetProperty("totals");
            if (totals.GetProperty("posts").GetInt32() >= 3 && totals.GetProperty("follows").GetInt32() > 0
                && totals.GetProperty("votes").GetInt32() > 0 && totals.GetProperty("threads").GetInt32() >= 2 && tick >= 3)
            {
                return;
            }
        }

        using var last = await GetJsonAsync("/api/stats");
        Assert.Fail($"{MaxTicks} ticks did not give threads, replies, votes and follows: {last.RootElement.GetProperty("totals")}");
    }

    /// <summary>Makes every bot due, so the next admin-run tick makes each one act.</summary>
    public Task MakeEveryBotDueAsync() => database!.MakeEveryBotDueAsync();

    /// <summary>Runs a timer function now through devhost's admin API.</summary>
    public async Task RunAsync(string function)
    {
        using var run = await Http.PostAsync(new Uri($"/admin/functions/{function}", UriKind.Relative), content: null);
        Assert.True(run.StatusCode == HttpStatusCode.Accepted, $"{function} answered {run.StatusCode}: {await run.Content.ReadAsStringAsync()}\n{Output}");
    }

    /// <summary>GETs a path that must answer 200 with JSON.</summary>
    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text);
    }

    /// <summary>GETs a path that must answer with problem details of <paramref name="status"/>; returns the problem.</summary>
    public async Task<JsonDocument> GetProblemAsync(string path, HttpStatusCode status)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"GET {path} answered {response.StatusCode}, not {status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Sends a request with an optional JSON body and <c>If-Match</c>; returns the response and its text.</summary>
    public async Task<(HttpResponseMessage Response, string Text)> SendAsync(HttpMethod method, string path, string? json, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every activity row, newest first, optionally filtered by a query string.</summary>
    public async Task<List<JsonElement>> ActivityAsync(string query = "")
    {
        using var page = await GetJsonAsync($"/api/activity?limit=200{query}");
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (devHost is not null)
        {
            await devHost.DisposeAsync();
        }

        // The worker is gone by then, so its database can go.
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public void Dispose() => http?.Dispose();
}
