using System.Net;
using System.Net.Http.Json;
using BotSociety.Core.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Realtime;

/// <summary>
/// Sends events to every dashboard through Web PubSub's REST API (<c>POST /api/hubs/{hub}/:send</c>, 202), one
/// message per event, in order. The whole batch has one deadline (<see cref="RealtimeOptions.PublishTimeoutSeconds"/>),
/// inside which the HTTP pipeline times out and retries each call; whatever is not sent by then is logged and left to
/// the outbox (<see cref="EventOutbox"/>), which tries it again.
/// </summary>
internal sealed partial class WebPubSubEventPublisher(
    IHttpClientFactory clients, IOptions<RealtimeOptions> options, RealtimeCounters counters, ILogger<WebPubSubEventPublisher> logger) : IEventPublisher
{
    public const string ClientName = "BotSociety.Realtime";

    private readonly Uri sendUri = options.Value.Connection()!.SendToAllUri(options.Value.Hub);

    public async Task<int> PublishAsync(IReadOnlyList<SocietyEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.PublishTimeoutSeconds));
        var http = clients.CreateClient(ClientName);
        var sent = 0;
        try
        {
            foreach (var societyEvent in events)
            {
                using var content = JsonContent.Create(societyEvent, options: SocietyJson.Options);
                using var response = await http.PostAsync(sendUri, content, deadline.Token);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new HttpRequestException($"{sendUri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
                }

                sent++;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var unsent = events.Count - sent;
            var reason = deadline.IsCancellationRequested ? $"not sent within {options.Value.PublishTimeoutSeconds} s" : ex.Message;
            counters.Failed(reason);
            LogNotSent(ex, unsent, events.Count, events[sent].Id, reason);
        }
        finally
        {
            counters.Published(sent);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live events not sent: {Unsent} of {Count}, from event {EventId} on ({Reason}); they wait in the outbox for another try")]
    private partial void LogNotSent(Exception exception, int unsent, int count, string eventId, string reason);
}

/// <summary>Signs every attempt of a REST call with a fresh token whose audience is the call's URL.</summary>
internal sealed class WebPubSubSigningHandler(IOptions<RealtimeOptions> options, TimeProvider time) : DelegatingHandler
{
    private readonly WebPubSubConnection connection = options.Value.Connection()!;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new("Bearer", connection.RestToken(request.RequestUri!, time.GetUtcNow()));
        return base.SendAsync(request, cancellationToken);
    }
}
