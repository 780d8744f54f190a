using System.Net;
using System.Text;
using System.Text.Json;
using BotSociety.Core.Tests;
using BotSociety.DevHost.Tests.EndToEnd;
using BotSociety.Functions.Tests.Contract;

namespace BotSociety.Functions.Tests;

/// <summary>
/// A devhost society for the alert tests, its ticks run by the tests: Ollama's address is a port nothing listens on,
/// so a bot switched to Ollama fails every heartbeat at once with a network error, and webhook retries wait
/// milliseconds. Every answer through <see cref="Http"/> is held to the served OpenAPI document.
/// </summary>
public sealed class AlertSociety : IAsyncLifetime, IDisposable
{
    private SocietyDatabase? database;
    private DevHostProcess? devHost;
    private HttpClient? http;
    private ApiContract? contract;

    public HttpClient Http => http ?? throw new InvalidOperationException("The fixture is not started.");

    internal string Output => devHost?.Output ?? "";

    public async Task InitializeAsync()
    {
        database = await SocietyDatabase.CreateAsync(new Dictionary<string, string>
        {
            ["Models__Ollama__Endpoint"] = $"http://127.0.0.1:{FakeHttpServer.FreePort()}",
            ["Models__MaxRetries"] = "0",
            ["Alerts__WebhookRetryDelayMilliseconds"] = "20",
            ["Alerts__WebhookPollSeconds"] = "1",
        });
        devHost = DevHostProcess.Start(database.Folder.SettingsPath);
        await devHost.WaitUntilHealthyAsync();
        contract = new ApiContract(await devHost.Http.GetStringAsync(new Uri("/api/openapi/v3.json", UriKind.Relative)));
        http = new HttpClient(new ContractCheckingHandler(() => contract)) { BaseAddress = devHost.Http.BaseAddress, Timeout = devHost.Http.Timeout };
    }

    /// <summary>Makes every bot due and runs one tick through devhost's admin API, which answers once it has finished.</summary>
    public async Task TickAsync()
    {
        await database!.MakeEveryBotDueAsync();
        using var run = await Http.PostAsync(new Uri("/admin/functions/Heartbeat", UriKind.Relative), content: null);
        Assert.True(run.StatusCode == HttpStatusCode.Accepted, $"Heartbeat answered {run.StatusCode}: {await run.Content.ReadAsStringAsync()}\n{Output}");
    }

    /// <summary>Switches a bot to Ollama, which nobody serves here: its heartbeats fail from the next tick on.</summary>
    public async Task BreakModelAsync(int botId)
    {
        var (status, text) = await SendAsync(HttpMethod.Put, $"/api/bots/{botId}/config", """{"model": {"provider": "ollama", "model": "llama3"}}""");
        Assert.True(status == HttpStatusCode.OK, $"switching bot {botId} to ollama answered {status}: {text}");
    }

    /// <summary>Sends a request with an optional JSON body; returns the status and the body's text.</summary>
    public async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        var (response, text) = await SendWithHeadersAsync(method, path, json);
        response.Dispose();
        return (response.StatusCode, text);
    }

    public async Task<(HttpResponseMessage Response, string Text)> SendWithHeadersAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs a path that must answer 200 with JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, text) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {status}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Sends a request that must be refused with problem details of <paramref name="status"/>; returns them.</summary>
    public async Task<JsonElement> ProblemAsync(HttpMethod method, string path, string? json, HttpStatusCode status)
    {
        var (response, text) = await SendWithHeadersAsync(method, path, json);
        using (response)
        {
            Assert.True(response.StatusCode == status, $"{method} {path} {json} answered {response.StatusCode}, not {status}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (devHost is not null)
        {
            await devHost.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public void Dispose() => http?.Dispose();
}
