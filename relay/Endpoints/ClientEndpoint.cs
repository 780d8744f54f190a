using System.Buffers;
using System.Net.WebSockets;
using BotSociety.Relay.Auth;
using BotSociety.Relay.Configuration;
using BotSociety.Relay.Connections;
using BotSociety.Relay.Messages;
using Microsoft.Extensions.Options;

namespace BotSociety.Relay.Endpoints;

/// <summary>
/// The client WebSocket endpoint. Everything that can be refused is refused with an HTTP status before the
/// upgrade (the client retries those with a delay); only a failed recovery is accepted and then closed with 1008,
/// which is how the client learns to stop recovering and connect afresh.
/// </summary>
internal static class ClientEndpoint
{
    public static void MapClientEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/client/hubs/{hub}", (HttpContext context, string hub) => ConnectAsync(context, hub));
        app.MapGet("/client", (HttpContext context, string hub) => ConnectAsync(context, hub));
    }

    private static async Task ConnectAsync(HttpContext context, string hubName)
    {
        var services = context.RequestServices;
        var registry = services.GetRequiredService<HubRegistry>();
        var log = services.GetRequiredService<RelayLog>();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RestErrors.BadRequest("This endpoint takes WebSocket requests only.").ExecuteAsync(context);
            return;
        }

        switch (registry.TryGet(hubName, out var hub))
        {
            case HubLookup.Invalid:
                await RestErrors.BadRequest($"'{hubName}' is not a valid hub name.").ExecuteAsync(context);
                return;
            case HubLookup.Unknown:
                await RestErrors.NotFound($"The relay serves no hub named '{hubName}'.").ExecuteAsync(context);
                return;
        }

        var (protocol, subprotocol) = Subprotocols.Choose(context.WebSockets.WebSocketRequestedProtocols);

        // A recovery URL still carries the original access token, which may have expired since: it is not checked.
        if (context.Request.Query["awps_connection_id"].ToString() is { Length: > 0 } connectionId)
        {
            await RecoverAsync(context, hub!, connectionId, subprotocol);
            return;
        }

        var validator = services.GetRequiredService<TokenValidator>();
        var token = context.Request.Query["access_token"].ToString();
        if (token.Length == 0 && context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }

        // /client?hub=h is another spelling of /client/hubs/h, and the SDK's tokens name the latter.
        if (!validator.TryValidate(token, context.Request, out var claims, out var error, $"{context.Request.PathBase}/client/hubs/{hubName}"))
        {
            log.ClientTokenRefused(hub!.Name, error);
            await RestErrors.Unauthorized(error).ExecuteAsync(context);
            return;
        }

        if (!registry.TryReserveConnection())
        {
            var max = services.GetRequiredService<IOptions<RelayOptions>>().Value.MaxConnections;
            log.TooManyConnections(max);
            context.Response.Headers.RetryAfter = "1";
            await RestErrors.TooManyRequests("The relay holds its maximum number of connections.").ExecuteAsync(context);
            return;
        }

        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext(services, subprotocol));
        }
        catch
        {
            registry.ReleaseConnection();
            throw;
        }

        var limits = ConnectionLimits.From(services.GetRequiredService<IOptions<RelayOptions>>().Value);
        var connection = new ClientConnection(hub!, claims!, protocol, limits, services.GetRequiredService<TimeProvider>());
        using var attachment = new SocketAttachment(socket, context.RequestAborted);
        // Into the hub (and the token's groups) before connected goes out: a client that hears connected may be
        // sent to at once, and must not miss it.
        hub!.Add(connection, claims!.Groups);
        connection.AttachFirst(attachment);
        log.ConnectionOpened(connection.Id, hub.Name, connection.UserId, protocol.ToString());
        await RunAsync(context, connection, attachment);
    }

    private static async Task RecoverAsync(HttpContext context, Hub hub, string connectionId, string? subprotocol)
    {
        var services = context.RequestServices;
        var log = services.GetRequiredService<RelayLog>();
        var socket = await context.WebSockets.AcceptWebSocketAsync(AcceptContext(services, subprotocol));
        using var attachment = new SocketAttachment(socket, context.RequestAborted);
        var token = context.Request.Query["awps_reconnection_token"].ToString();
        var connection = hub.Find(connectionId);
        if (connection is null || !connection.TryRecover(token, attachment))
        {
            log.RecoveryRefused(connectionId, hub.Name);
            await RefuseAsync(attachment, services.GetRequiredService<TimeProvider>());
            return;
        }

        log.ConnectionRecovered(connection.Id, hub.Name);
        await RunAsync(context, connection, attachment);
    }

    /// <summary>1008 tells the client recovery is over; it then reports the disconnect and connects anew.</summary>
    private static async Task RefuseAsync(SocketAttachment attachment, TimeProvider time)
    {
        attachment.AbortAfter(TimeSpan.FromSeconds(5), time);
        try
        {
            await attachment.Socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "The connection cannot be recovered.", attachment.Token);
            var scratch = new byte[256];
            while ((await attachment.Socket.ReceiveAsync(scratch.AsMemory(), attachment.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away first; nothing is left to refuse.
        }
    }

    private static async Task RunAsync(HttpContext context, ClientConnection connection, SocketAttachment attachment)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<RelayOptions>>().Value;
        var handler = services.GetRequiredService<ClientMessageHandler>();
        var writer = attachment.RunWriterAsync(connection);
        WebSocketCloseStatus? clientStatus = null;
        try
        {
            clientStatus = await ReceiveAsync(connection, attachment, handler, options.MaxMessageSizeBytes);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // A drop without a close frame: the writer fails too, and a reliable connection stays recoverable.
        }

        connection.OnSocketEnded(attachment, clientStatus);
        services.GetRequiredService<RelayLog>().SocketEnded(connection.Id, clientStatus?.ToString() ?? "dropped", connection.Hub.Find(connection.Id) is not null);
        attachment.Signal();
        await writer;
        if (attachment.Socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                await attachment.Socket.CloseOutputAsync(clientStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
                // The client did not wait for our half of the close handshake.
            }
        }
    }

    /// <summary>
    /// Reads whole messages until the client's close frame. An idle socket waits with a zero-byte read, so a buffer
    /// is rented only while a message arrives. After the relay has asked to close, input is ignored.
    /// </summary>
    private static async Task<WebSocketCloseStatus?> ReceiveAsync(ClientConnection connection, SocketAttachment attachment, ClientMessageHandler handler, int maxMessageSize)
    {
        var socket = attachment.Socket;
        var message = new ArrayBufferWriter<byte>();
        var closing = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(Memory<byte>.Empty, attachment.Token);
            var type = result.MessageType;
            var chunk = ArrayPool<byte>.Shared.Rent(4 * 1024);
            try
            {
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close)
                {
                    result = await socket.ReceiveAsync(chunk.AsMemory(), attachment.Token);
                    if (closing || result.MessageType == WebSocketMessageType.Close)
                    {
                        continue;
                    }

                    if (message.WrittenCount + result.Count > maxMessageSize)
                    {
                        closing = true;
                        connection.Close(new CloseRequest(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {maxMessageSize} bytes.", Drain: false));
                        continue;
                    }

                    message.Write(chunk.AsSpan(0, result.Count));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }

            if (!closing)
            {
                var close = connection.Protocol switch
                {
                    // A plain client's messages would go to an upstream event handler; the relay has none.
                    ClientProtocol.Plain => null,
                    _ when type == WebSocketMessageType.Binary =>
                        new CloseRequest(WebSocketCloseStatus.InvalidMessageType, "The JSON subprotocols take text frames only.", Drain: false),
                    _ => handler.Handle(connection, message.WrittenMemory),
                };
                if (close is not null)
                {
                    closing = true;
                    connection.Close(close);
                }
            }

            message.ResetWrittenCount();
        }
    }

    private static WebSocketAcceptContext AcceptContext(IServiceProvider services, string? subprotocol)
    {
        var options = services.GetRequiredService<IOptions<RelayOptions>>().Value;
        return new WebSocketAcceptContext
        {
            SubProtocol = subprotocol,
            KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds),
        };
    }
}
