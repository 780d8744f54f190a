using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Anthropic;
using BotSociety.Core.Bots;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OpenAI;

namespace BotSociety.Core.Llm;

/// <summary>Gives the chat client for a bot's model settings; read on every heartbeat, so a config change applies on the next one.</summary>
public interface IChatClientProvider
{
    /// <summary>The client for <paramref name="model"/>; throws <see cref="NotSupportedException"/> when its provider cannot be used (no key).</summary>
    IChatClient GetClient(ModelSection model);
}

/// <summary>
/// Resolves providers to clients, each wrapped in the library's logging and OpenTelemetry middleware. Real providers
/// send through the <see cref="HttpClientName"/> HTTP client, whose resilience handler times out each attempt and
/// retries 429, 5xx and timeouts after the server's Retry-After; the SDKs' own retries are off, so nothing retries twice.
/// </summary>
internal sealed class ChatClientProvider : IChatClientProvider, IDisposable
{
    public const string HttpClientName = "models";
    public const string TelemetrySource = "BotSociety.Models";

    private readonly IChatClient offline;
    private readonly IHttpClientFactory http;
    private readonly ModelsOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly SecretRedactor redactor;
    private readonly ConcurrentDictionary<(string Provider, string Model), IChatClient> clients = new();

    public ChatClientProvider(
        Offline.OfflineChatClient offlineClient, IHttpClientFactory http, IOptions<ModelsOptions> options, SecretRedactor redactor, ILoggerFactory loggerFactory)
    {
        this.redactor = redactor;
        this.http = http;
        this.options = options.Value;
        this.loggerFactory = loggerFactory;
        offline = new ChatClientBuilder(offlineClient).UseLogging(loggerFactory).Build();
    }

    public IChatClient GetClient(ModelSection model)
    {
        if (model.Provider == ModelProviders.Offline)
        {
            return offline;
        }

        if (ModelCatalog.Unavailable(options, model.Provider) is { } problem)
        {
            throw new NotSupportedException(problem);
        }

        // One client per provider and model: the OpenAI SDK binds a client to its model, and the others are cheap to keep.
        return clients.GetOrAdd((model.Provider, model.Model), key => new ChatClientBuilder(new FailureReader(Create(key.Provider, key.Model), key.Provider, redactor))
            .UseLogging(loggerFactory)
            .UseOpenTelemetry(loggerFactory, TelemetrySource)
            .Build());
    }

    private IChatClient Create(string provider, string model)
    {
        var client = http.CreateClient(HttpClientName);
        switch (provider)
        {
            case ModelProviders.Anthropic:
                return new AnthropicTemperature(new AnthropicClient(new Anthropic.Core.ClientOptions
                {
                    ApiKey = options.Anthropic.ApiKey,
                    BaseUrl = options.Anthropic.BaseUrl.TrimEnd('/'),
                    HttpClient = client,
                    MaxRetries = 0,
                    Timeout = Timeout.InfiniteTimeSpan,
                }).AsIChatClient(model));

            case ModelProviders.OpenAI:
                var openAi = new OpenAIClient(
                    new ApiKeyCredential(string.IsNullOrEmpty(options.OpenAI.ApiKey) ? "no-key" : options.OpenAI.ApiKey),
                    new OpenAIClientOptions
                    {
                        Endpoint = new Uri(options.OpenAI.Endpoint.TrimEnd('/')),
                        Transport = new HttpClientPipelineTransport(client),
                        RetryPolicy = new ClientRetryPolicy(0),
                        NetworkTimeout = Timeout.InfiniteTimeSpan,
                    });
                return openAi.GetChatClient(model).AsIChatClient();

            case ModelProviders.Ollama:
                client.BaseAddress = new Uri(options.Ollama.Endpoint.TrimEnd('/') + "/");
                return new OllamaApiClient(client, model);

            default:
                throw new NotSupportedException($"model.provider '{provider}' is not available; choose one of {string.Join(", ", ModelProviders.Known)}.");
        }
    }

    public void Dispose()
    {
        offline.Dispose();
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }
}

/// <summary>
/// Innermost layer: reads a provider's exception into a <see cref="ModelCallException"/> before any middleware sees it,
/// so what is logged and recorded is the readable, redacted reason and never the raw answer of the service.
/// </summary>
internal sealed class FailureReader(IChatClient inner, string provider, SecretRedactor redactor) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ModelCallException(ModelFailure.FromException(ex, provider, redactor));
        }
    }
}

/// <summary>
/// The SDKs send their bodies as one-shot streams; buffered, a request can be sent again by the retry strategy.
/// </summary>
internal sealed class ReplayableContentHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The Anthropic SDK's request type has no temperature member (13.x), so its adapter drops
/// <see cref="ChatOptions.Temperature"/>; the Messages API still takes it, so it is sent as a raw body member.
/// </summary>
internal sealed class AnthropicTemperature(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithTemperature(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithTemperature(options), cancellationToken);

    private static ChatOptions? WithTemperature(ChatOptions? options)
    {
        if (options?.Temperature is not { } temperature || options.RawRepresentationFactory is not null)
        {
            return options;
        }

        var copy = options.Clone();
        // The adapter merges its own fields into this request but expects the required ones present, so they are given.
        var body = new Dictionary<string, System.Text.Json.JsonElement>
        {
            ["temperature"] = System.Text.Json.JsonSerializer.SerializeToElement(Math.Round(temperature, 3)),
            ["messages"] = System.Text.Json.JsonSerializer.SerializeToElement(Array.Empty<object>()),
        };
        if (options.ModelId is { } model)
        {
            body["model"] = System.Text.Json.JsonSerializer.SerializeToElement(model);
        }

        if (options.MaxOutputTokens is { } maxTokens)
        {
            body["max_tokens"] = System.Text.Json.JsonSerializer.SerializeToElement(maxTokens);
        }
        copy.RawRepresentationFactory = _ => Anthropic.Models.Messages.MessageCreateParams.FromRawUnchecked(
            new Dictionary<string, System.Text.Json.JsonElement>(), new Dictionary<string, System.Text.Json.JsonElement>(), body);
        return copy;
    }
}
