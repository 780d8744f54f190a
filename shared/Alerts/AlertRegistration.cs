using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BotSociety.Core.Alerts;

/// <summary>The alerts feature's part of <see cref="BotSocietyCoreExtensions.AddBotSocietyCore"/>.</summary>
internal static class AlertRegistration
{
    /// <summary>
    /// The rules, the evaluator the tick calls, and the webhook sender, a hosted service whose HTTP client times out
    /// each attempt and retries 5xx, 408, 429, attempt timeouts and network failures with exponential backoff.
    /// </summary>
    public static void AddAlerts(IServiceCollection services)
    {
        services.AddSingleton<AlertRuleService>();
        services.AddSingleton<AlertDeliverySignal>();
        services.AddSingleton<AlertEvaluator>();
        services.AddSingleton<AlertWebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhookSender>());

        // A redirect would turn the POST into a GET elsewhere; the operator names the address the alert goes to.
        var client = services.AddHttpClient(AlertWebhookSender.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        client.AddResilienceHandler("alert-webhooks", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value;

            // A network wait is this machine's time, not the society's clock (which a test or a replay may stop).
            pipeline.TimeProvider = TimeProvider.System;
            if (options.WebhookAttempts > 1)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.WebhookAttempts - 1,
                    Delay = TimeSpan.FromMilliseconds(options.WebhookRetryDelayMilliseconds),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,

                    // A receiver's Retry-After is not followed: the sender's claim on the row (AlertWebhookSender.Hold)
                    // assumes the waits never pass MaxRetryDelay.
                    ShouldRetryAfterHeader = false,
                    MaxDelay = AlertWebhookSender.MaxRetryDelay,
                });
            }

            pipeline.AddTimeout(TimeSpan.FromSeconds(options.WebhookTimeoutSeconds));
        });

        // Inside the resilience handler, so it counts every attempt.
        client.AddHttpMessageHandler(() => new AttemptCountingHandler());
    }
}
