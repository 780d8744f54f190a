using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BotSociety.Core.Alerts;

/// <summary>
/// Sends the pending webhook deliveries the evaluator wrote with its firings: at start (what a crash left), when the
/// evaluator pokes it after a commit, and every Alerts:WebhookPollSeconds (rows another instance wrote). Each is one
/// signed POST of the stored body, retried with backoff by the <see cref="HttpClientName"/> client's resilience
/// handler; its row then says how it went. A row is claimed before it is sent, so instances never send one twice;
/// a claim that outlives its sender (a crash mid-send) lapses and the row is taken again.
/// </summary>
public sealed partial class AlertWebhookSender(
    IDbContextFactory<BotSocietyDb> dbFactory,
    IHttpClientFactory httpClients,
    AlertDeliverySignal signal,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertWebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "alert-webhooks";
    public const string SignatureHeader = "X-BotSociety-Signature";
    public const string DeliveryHeader = "X-BotSociety-Delivery";

    /// <summary>The longest wait between two attempts, whatever the backoff has grown to.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private const int BatchSize = 20;
    private const int Parallelism = 4;
    private const int MaxErrorLength = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendPendingAsync(stoppingToken);
                if (failing)
                {
                    failing = false;
                    LogSendingBack();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database fault passes; the deliveries wait in their rows. Logged once a streak, not every poll.
                if (!failing)
                {
                    failing = true;
                    LogSendingFailed(ex);
                }
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.WebhookPollSeconds), time, stoppingToken);
        }
    }

    /// <summary>Sends every pending delivery that no other sender holds, a few at a time; returns how many were sent (or failed for good).</summary>
    public async Task<int> SendPendingAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            var batch = await TakeAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return done;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, SendAsync);
            done += batch.Count;
        }
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/> keyed with <paramref name="secret"/>.</summary>
    private static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>How long a claim holds a row: every attempt timing out, the longest waits between them, and a margin.</summary>
    private TimeSpan Hold
    {
        get
        {
            var settings = options.Value;
            return TimeSpan.FromSeconds(settings.WebhookAttempts * settings.WebhookTimeoutSeconds + 30) + MaxRetryDelay * (settings.WebhookAttempts - 1);
        }
    }

    /// <summary>
    /// Claims the next pending rows. While a row is pending its <c>finished_at</c> is the claim's end: a row with none,
    /// or one that has passed, is free; the conditional update lets one sender take it.
    /// </summary>
    private async Task<List<Outgoing>> TakeAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        DateTime? holdUntil = now + Hold;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var free = await db.AlertDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatuses.Pending && (d.FinishedAt == null || d.FinishedAt <= now))
            .OrderBy(d => d.Id).Select(d => d.Id).Take(BatchSize)
            .ToListAsync(ct);
        var mine = new List<long>();
        foreach (var id in free)
        {
            var taken = await db.AlertDeliveries
                .Where(d => d.Id == id && d.Status == DeliveryStatuses.Pending && (d.FinishedAt == null || d.FinishedAt <= now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.FinishedAt, holdUntil), ct);
            if (taken == 1)
            {
                mine.Add(id);
            }
        }

        return await db.AlertDeliveries.AsNoTracking()
            .Where(d => mine.Contains(d.Id))
            .OrderBy(d => d.Id)
            .Select(d => new Outgoing(d.Id, d.AlertId, d.Body, d.Alert!.WebhookUrl, d.Alert.Secret))
            .ToListAsync(ct);
    }

    private async ValueTask SendAsync(Outgoing delivery, CancellationToken ct)
    {
        if (delivery.Url is null || delivery.Secret is null)
        {
            // The rule lost its webhook after it fired: nowhere to send, and no key to sign with.
            await SettleAsync(delivery, new(false, null, 0, "the rule no longer has a webhook_url"));
            return;
        }

        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(SignatureHeader, Signature(delivery.Secret, body));
        request.Headers.TryAddWithoutValidation(DeliveryHeader, delivery.Id.ToString(CultureInfo.InvariantCulture));
        var attempts = new StrongBox<int>();
        request.Options.Set(AttemptCountingHandler.Key, attempts);
        Outcome outcome;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            outcome = new(response.IsSuccessStatusCode, status, attempts.Value,
                response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"the endpoint answered {status} {response.ReasonPhrase}"));
        }
        catch (HttpRequestException ex)
        {
            outcome = new(false, null, attempts.Value, $"the request failed ({ex.HttpRequestError}): {ex.Message}");
        }
        catch (TimeoutRejectedException)
        {
            outcome = new(false, null, attempts.Value, string.Create(CultureInfo.InvariantCulture, $"no answer within {options.Value.WebhookTimeoutSeconds} s"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the row is left pending and free, so the next start (or another instance) sends it.
            await ReleaseAsync(delivery.Id);
            throw;
        }

        await SettleAsync(delivery, outcome with { Error = Redact(outcome.Error, delivery.Secret) });
    }

    /// <summary>Writes how the delivery went. Not cancelled by a stop: the call was made, and a repeat would send it twice.</summary>
    private async Task SettleAsync(Outgoing delivery, Outcome outcome)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var status = outcome.Delivered ? DeliveryStatuses.Delivered : DeliveryStatuses.Failed;
        var error = outcome.Error is null ? null : TextCut.Cut(outcome.Error, MaxErrorLength);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.AlertDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.StatusCode, outcome.StatusCode)
            .SetProperty(d => d.Attempts, outcome.Attempts)
            .SetProperty(d => d.Error, error)
            .SetProperty(d => d.FinishedAt, now), CancellationToken.None);
        if (outcome.Delivered)
        {
            LogDelivered(delivery.Id, delivery.AlertId, outcome.StatusCode ?? 0, outcome.Attempts);
        }
        else
        {
            LogDeliveryFailed(delivery.Id, delivery.AlertId, outcome.Attempts, error ?? "");
        }
    }

    private async Task ReleaseAsync(long id)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.AlertDeliveries.Where(d => d.Id == id && d.Status == DeliveryStatuses.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.FinishedAt, (DateTime?)null), CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            // The claim lapses by itself.
            LogReleaseFailed(ex, id);
        }
    }

    // The secret never reaches an error text by design; this keeps it so if a handler ever echoed a header.
    private static string? Redact(string? error, string secret) =>
        error?.Replace(secret, "[secret]", StringComparison.Ordinal);

    private sealed record Outgoing(long Id, int AlertId, string Body, string? Url, string? Secret);

    private sealed record Outcome(bool Delivered, int? StatusCode, int Attempts, string? Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert webhook delivery {DeliveryId} of alert {AlertId} delivered: {StatusCode} after {Attempts} attempts")]
    private partial void LogDelivered(long deliveryId, int alertId, int statusCode, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook delivery {DeliveryId} of alert {AlertId} failed after {Attempts} attempts: {Error}")]
    private partial void LogDeliveryFailed(long deliveryId, int alertId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the pending alert webhooks failed; trying again every poll, logged again once it works")]
    private partial void LogSendingFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The pending alert webhooks are being sent again")]
    private partial void LogSendingBack();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The claim on alert webhook delivery {DeliveryId} could not be released; it lapses by itself")]
    private partial void LogReleaseFailed(Exception exception, long deliveryId);
}

/// <summary>Counts one delivery's attempts. It sits inside the resilience handler, so it sees every try, retries included.</summary>
internal sealed class AttemptCountingHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<StrongBox<int>> Key = new("BotSociety.Alerts.Attempts");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var attempts))
        {
            Interlocked.Increment(ref attempts.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
