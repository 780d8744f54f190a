using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using BotSociety.Core.Llm;
using BotSociety.Core.Llm.Offline;
using BotSociety.Core.Memory;
using BotSociety.Core.Realtime;
using BotSociety.Core.Search;
using BotSociety.Core.Simulation;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Options;

namespace BotSociety.Core;

/// <summary>The one composition of the society; every host and every test calls it.</summary>
public static class BotSocietyCoreExtensions
{
    public static IHostApplicationBuilder AddBotSocietyCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        AddDefaultPricing(builder);
        AddValidatedOptions<DatabaseOptions>(services, DatabaseOptions.SectionName);
        AddValidatedOptions<SocietyOptions>(services, SocietyOptions.SectionName);
        AddValidatedOptions<UsageOptions>(services, UsageOptions.SectionName);
        AddValidatedOptions<MemoryOptions>(services, MemoryOptions.SectionName);
        AddValidatedOptions<RealtimeOptions>(services, RealtimeOptions.SectionName);
        AddValidatedOptions<ModelsOptions>(services, ModelsOptions.SectionName);
        AddValidatedOptions<PricingOptions>(services, PricingOptions.SectionName);
        AddValidatedOptions<SearchOptions>(services, SearchOptions.SectionName);
        AddValidatedOptions<Security.ApiOptions>(services, Security.ApiOptions.SectionName);
        AddValidatedOptions<Alerts.AlertOptions>(services, Alerts.AlertOptions.SectionName);
        AddValidatedOptions<Traces.TracesOptions>(services, Traces.TracesOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SocietyInstance>();

        // SQLite or PostgreSQL, as Database:Provider says; every difference between the two lives in the dialect.
        services.AddSingleton(sp => SqlDialect.For(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<WriteHealth>();
        services.AddSingleton<IInterceptor, WriteHealthInterceptor>();
        services.AddPooledDbContextFactory<BotSocietyDb>((sp, options) =>
        {
            sp.GetRequiredService<SqlDialect>().Configure(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        });

        services.AddSingleton<PersonaCatalog>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService<DatabaseInitializerService>();

        services.AddSingleton(_ => Phrasebook.LoadEmbedded());
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<OfflineChatClient>();
        AddModels(services);
        AddSearch(services);
        AddEventPublisher(builder);

        services.AddSingleton<MemoryCompressor>();
        services.AddSingleton<FeedLoader>();
        services.AddSingleton<HeartbeatPlanner>();
        services.AddSingleton<Traces.TraceFactory>();
        services.AddHttpClient(ProviderProbe.HttpClientName);
        services.AddSingleton<ProviderProbe>();
        services.AddSingleton<Traces.TraceQueries>();
        services.AddSingleton<TickApplier>();
        services.AddSingleton<HeartbeatEngine>();

        services.AddSingleton<HeartbeatQueueStatus>();
        services.AddSingleton<SocietyHealth>();
        services.AddSingleton<BotQueries>();
        services.AddSingleton<ActivityQueries>();
        services.AddSingleton<ThreadQueries>();
        services.AddSingleton<FollowQueries>();
        services.AddSingleton<VoteQueries>();
        services.AddSingleton<Idempotency.IdempotencyKeys>();
        services.AddSingleton<StatsQueries>();
        services.AddSingleton<MemoryQueries>();
        services.AddSingleton<Graph.GraphQueries>();

        services.AddSingleton<ControlEvents>();
        services.AddSingleton<BotControl>();
        services.AddSingleton<PaceService>();
        services.AddSingleton<CostCapService>();
        services.AddSingleton<BotConfigService>();
        services.AddSingleton<Interview.InterviewService>();
        services.AddSingleton<Export.SocietyExport>();
        services.AddSingleton<Export.SocietySnapshot>();
        Alerts.AlertRegistration.AddAlerts(services);
        return builder;
    }

    /// <summary>
    /// The committed price table (<c>pricing.json</c> beside the app) goes beneath every other configuration source,
    /// so settings and environment variables override or extend it entry by entry.
    /// </summary>
    private static void AddDefaultPricing(IHostApplicationBuilder builder)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "pricing.json");
        if (File.Exists(file))
        {
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                Path = "pricing.json",
                FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                Optional = true,
            });
        }
    }

    /// <summary>
    /// Real providers call out through one HTTP client whose resilience handler bounds each attempt and retries
    /// 429, 5xx and attempt timeouts, waiting what the server's Retry-After asks; keys may come from the providers'
    /// usual environment variables.
    /// </summary>
    private static void AddModels(IServiceCollection services)
    {
        services.AddOptions<ModelsOptions>().PostConfigure<IConfiguration>((options, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(options.Anthropic.ApiKey))
            {
                options.Anthropic.ApiKey = configuration["ANTHROPIC_API_KEY"];
            }

            if (string.IsNullOrWhiteSpace(options.OpenAI.ApiKey))
            {
                options.OpenAI.ApiKey = configuration["OPENAI_API_KEY"];
            }
        });
        services.AddHttpClient(ChatClientProvider.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(() => new ReplayableContentHandler())
            .AddResilienceHandler("models", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ModelsOptions>>().Value;

                // A network wait is this machine's time, not the society's clock (which a test or a replay may stop).
                pipeline.TimeProvider = TimeProvider.System;
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,

                        // Backoff never grows past an attempt's length; whatever Retry-After a server asks for,
                        // Society:ModelTimeoutSeconds bounds the whole call, and a later heartbeat tries again.
                        MaxDelay = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds),

                        // The call's trace says how many retries it took.
                        OnRetry = _ =>
                        {
                            ModelRetries.Count();
                            return default;
                        },
                    });
                }

                pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
            });
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<ModelCost>();
        services.AddSingleton<ModelCatalog>();
        services.TryAddSingleton<IChatClientProvider, ChatClientProvider>();
    }

    /// <summary>The offline corpus, or Brave's web search (which falls back to the corpus) when Search:Provider says so.</summary>
    private static void AddSearch(IServiceCollection services)
    {
        services.AddHttpClient(BraveWebSearch.HttpClientName);
        services.AddSingleton<OfflineCorpusSearch>();
        services.AddSingleton<BraveWebSearch>();
        services.TryAddSingleton<ISearchProvider>(sp => sp.GetRequiredService<IOptions<SearchOptions>>().Value.Provider == SearchOptions.Brave
            ? sp.GetRequiredService<BraveWebSearch>()
            : sp.GetRequiredService<OfflineCorpusSearch>());
    }

    /// <summary>
    /// Events go through the outbox (written with their rows, sent after the commit and at start) to Web PubSub (or
    /// our relay) when a connection string is set; without one there is no live stream and nothing is kept. The HTTP pipeline times out each call and retries
    /// a failed one twice; the publisher bounds the whole batch, and the outbox tries what it could not send again.
    /// </summary>
    private static void AddEventPublisher(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<RealtimeCounters>();
        services.AddSingleton<Negotiator>();
        services.AddSingleton<EventOutbox>();
        services.AddHostedService<OutboxDrainService>();
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{RealtimeOptions.SectionName}:{nameof(RealtimeOptions.ConnectionString)}"]))
        {
            services.TryAddSingleton<IEventPublisher, NoLiveStreamPublisher>();
            return;
        }

        services.AddTransient<WebPubSubSigningHandler>();
        var client = services.AddHttpClient(WebPubSubEventPublisher.ClientName);
        client.AddResilienceHandler("relay", pipeline => pipeline
            .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(100), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
            .AddTimeout(TimeSpan.FromSeconds(1)));

        // Inside the resilience handler, so every attempt carries a fresh token.
        client.AddHttpMessageHandler<WebPubSubSigningHandler>();
        services.TryAddSingleton<IEventPublisher, WebPubSubEventPublisher>();
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
