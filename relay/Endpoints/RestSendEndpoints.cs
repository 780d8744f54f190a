using System.Buffers;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Unicode;
using BotSociety.Relay.Configuration;
using BotSociety.Relay.Connections;
using BotSociety.Relay.Messages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay.Endpoints;

/// <summary>
/// The data plane's sends and closes. The SDK accepts only the exact status of each operation (202 for a send,
/// 204 for a close), so those are answered even when nobody is there to receive.
/// </summary>
internal static class RestSendEndpoints
{
    public static void MapRestSends(this RouteGroupBuilder hub)
    {
        hub.MapPost("/:send", Handler(context =>
            SendAsync(context, filter => context.Hub().All(filter), ServerMessages.FromServer, honourExcluded: true)));
        hub.MapPost("/groups/{group}/:send", Handler(context =>
        {
            var group = context.RouteValue("group");
            return RestContext.IsValidGroup(group)
                ? SendAsync(context, filter => context.Hub().InGroup(group, filter), data => ServerMessages.FromGroup(group, null, data), honourExcluded: true)
                : Task.FromResult(RestErrors.BadRequest("A group name has 1 to 1024 characters and not only whitespace."));
        }));
        hub.MapPost("/users/{userId}/:send", Handler(context =>
            SendAsync(context, filter => context.Hub().OfUser(context.RouteValue("userId"), filter), ServerMessages.FromServer, honourExcluded: false)));
        hub.MapPost("/connections/{connectionId}/:send", Handler(context =>
            SendAsync(context, _ => context.Hub().Find(context.RouteValue("connectionId")) is { } c ? [c] : [], ServerMessages.FromServer, honourExcluded: false)));

        hub.MapPost("/:closeConnections", (HttpContext context) =>
            CloseAll(context, filter => context.Hub().All(filter)));
        hub.MapPost("/groups/{group}/:closeConnections", (HttpContext context) =>
            CloseAll(context, filter => context.Hub().InGroup(context.RouteValue("group"), filter)));
        hub.MapPost("/users/{userId}/:closeConnections", (HttpContext context) =>
            CloseAll(context, filter => context.Hub().OfUser(context.RouteValue("userId"), filter)));
        hub.MapDelete("/connections/{connectionId}", (HttpContext context) =>
        {
            context.Hub().Find(context.RouteValue("connectionId"))?.Close(ServiceClose(context));
            return TypedResults.NoContent();
        });
    }

    /// <summary>Typed as a handler returning a result, so the framework writes the result instead of discarding it.</summary>
    private static Func<HttpContext, Task<IResult>> Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static async Task<IResult> SendAsync(
        HttpContext context,
        Func<Func<ClientConnection, bool>?, List<ClientConnection>> recipients,
        Func<RelayData, OutgoingMessage> envelope,
        bool honourExcluded)
    {
        if (!ConnectionFilter.TryParse(context.Request.Query["filter"], out var filter, out var filterError))
        {
            return RestErrors.BadRequest(filterError);
        }

        var (data, error) = await ReadBodyAsync(context);
        if (error is not null)
        {
            return error;
        }

        var excluded = honourExcluded ? Excluded(context) : [];
        var message = envelope(data!);
        foreach (var connection in recipients(filter))
        {
            if (!excluded.Contains(connection.Id))
            {
                connection.Send(message);
            }
        }

        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    private static NoContent CloseAll(HttpContext context, Func<Func<ClientConnection, bool>?, List<ClientConnection>> targets)
    {
        var excluded = Excluded(context);
        var close = ServiceClose(context);
        foreach (var connection in targets(null))
        {
            if (!excluded.Contains(connection.Id))
            {
                connection.Close(close);
            }
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// 1000 with a disconnected message carrying the reason, as the emulator does; recovery is refused afterwards,
    /// so the client reports the reason and connects afresh.
    /// </summary>
    private static CloseRequest ServiceClose(HttpContext context)
    {
        var reason = context.Request.Query["reason"].ToString();
        return new CloseRequest(WebSocketCloseStatus.NormalClosure, reason.Length > 0 ? reason : "The connection was closed by the service.", Drain: true);
    }

    private static HashSet<string> Excluded(HttpContext context) =>
        [.. context.Request.Query["excluded"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!)];

    /// <summary>The content type decides the dataType: application/json, text/plain, or application/octet-stream.</summary>
    private static async Task<(RelayData? Data, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        var max = context.RequestServices.GetRequiredService<IOptions<RelayOptions>>().Value.MaxMessageSizeBytes;
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType : null;
        DataType? type = mediaType?.ToLowerInvariant() switch
        {
            "application/json" => DataType.Json,
            "text/plain" => DataType.Text,
            "application/octet-stream" => DataType.Binary,
            _ => null,
        };
        if (type is null)
        {
            return (null, RestErrors.UnsupportedMediaType("A message is application/json, text/plain or application/octet-stream."));
        }

        var body = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await context.Request.Body.ReadAsync(body.GetMemory(16 * 1024), context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            body.Advance(read);
            if (body.WrittenCount > max)
            {
                return (null, RestErrors.PayloadTooLarge($"Messages are limited to {max} bytes."));
            }
        }

        var bytes = body.WrittenMemory;
        if (type == DataType.Json && !IsJson(bytes.Span))
        {
            return (null, RestErrors.BadRequest("The body is not valid JSON."));
        }

        if (type == DataType.Text && !Utf8.IsValid(bytes.Span))
        {
            return (null, RestErrors.BadRequest("The body is not valid UTF-8 text."));
        }

        return (new RelayData(type.Value, bytes.ToArray()), null);
    }

    private static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
