using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Llm;

/// <summary>Whether a provider answered a probe, why not when it did not, and when it was asked.</summary>
public sealed record ProviderReachability(bool Reachable, string? Reason, DateTimeOffset CheckedAt);

/// <summary>
/// Asks each real provider's endpoint whether anything answers there, with a short timeout, and keeps the answer a
/// minute: the config panel warns before a bot is moved to a provider nobody can reach, and a bot whose provider did
/// not answer shows as unreachable. Any HTTP answer (even 401 or 404) counts as reachable: the probe asks whether a
/// server is there, not whether the key works (a heartbeat's failure says that).
/// </summary>
public sealed partial class ProviderProbe(
    IHttpClientFactory httpFactory, ModelCatalog catalog, IOptions<ModelsOptions> models, TimeProvider time, ILogger<ProviderProbe> logger)
{
    public const string HttpClientName = "provider-probe";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, Lazy<Task<ProviderReachability>>> probes = new(StringComparer.Ordinal);

    /// <summary>The catalog with each provider's reachability (probed now unless a fresh answer is kept).</summary>
    public async Task<ModelCatalogView> DescribeAsync(CancellationToken cancellationToken)
    {
        var view = catalog.Describe();
        var providers = await Task.WhenAll(view.Providers.Select(async p =>
        {
            if (p.Simulated || !p.Available || EndpointOf(p.Id) is null)
            {
                return p;
            }

            var answer = await ProbeAsync(p.Id, cancellationToken);
            return p with { Reachable = answer.Reachable, Reachability = answer.Reason };
        }));
        return new ModelCatalogView(providers);
    }

    /// <summary>The last answer kept for <paramref name="provider"/>, without probing; null when none is fresh.</summary>
    public ProviderReachability? Cached(string provider) =>
        probes.TryGetValue(provider, out var probe) && probe.IsValueCreated && probe.Value.IsCompletedSuccessfully
            && time.GetUtcNow() - probe.Value.Result.CheckedAt < KeepFor
            ? probe.Value.Result
            : null;

    private Task<ProviderReachability> ProbeAsync(string provider, CancellationToken ct)
    {
        while (true)
        {
            var probe = probes.GetOrAdd(provider, p => new Lazy<Task<ProviderReachability>>(() => AskAsync(p)));
            if (!probe.Value.IsCompleted || time.GetUtcNow() - probe.Value.Result.CheckedAt < KeepFor)
            {
                return probe.Value.WaitAsync(ct);
            }

            // Stale: the one caller that removes it probes again; the others take the new probe.
            probes.TryRemove(KeyValuePair.Create(provider, probe));
        }
    }

    private async Task<ProviderReachability> AskAsync(string provider)
    {
        var endpoint = EndpointOf(provider)!;
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new ProviderReachability(true, null, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException
                ? $"no answer from {endpoint} within {Timeout.TotalSeconds:0} s"
                : $"{endpoint} could not be reached: {ex.GetBaseException().Message}";
            LogUnreachable(provider, reason);
            return new ProviderReachability(false, reason, time.GetUtcNow());
        }
    }

    /// <summary>Where the provider is called; the SDKs' own defaults when none is set.</summary>
    private Uri? EndpointOf(string provider)
    {
        var o = models.Value;
        var text = provider switch
        {
            ModelProviders.Ollama => o.Ollama.Endpoint,
            ModelProviders.OpenAI => o.OpenAI.Endpoint ?? "https://api.openai.com/v1",
            ModelProviders.Anthropic => o.Anthropic.BaseUrl ?? "https://api.anthropic.com",
            _ => null,
        };
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} is unreachable: {Reason}")]
    private partial void LogUnreachable(string provider, string reason);
}
