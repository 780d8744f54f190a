using System.Net.WebSockets;
using System.Threading.Channels;
using BotSociety.Relay.Messages;

namespace BotSociety.Relay.Connections;

/// <summary>
/// One physical socket of a connection, and the only writer to it. A reliable connection outlives its sockets:
/// recovery attaches a new one and the old one's writer stops because it is no longer current.
/// </summary>
internal sealed class SocketAttachment(WebSocket socket, CancellationToken requestAborted) : IDisposable
{
    // Capacity one: a pending wake-up already covers every later message, since the writer drains all it finds.
    private readonly Channel<bool> wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    private readonly Lock gate = new();
    private ITimer? abortTimer;
    private bool ended;

    public WebSocket Socket => socket;

    public CancellationToken Token => lifetime.Token;

    public void Signal() => wakeUp.Writer.TryWrite(true);

    /// <summary>Drops the socket without a close frame; the client sees 1006 and, on the reliable subprotocol, recovers.</summary>
    public void Abort()
    {
        // After the request has ended its socket and features are disposed; aborting then would throw on a timer thread.
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            socket.Abort();
            lifetime.Cancel();
        }
    }

    /// <summary>A client that does not answer our close frame in time is cut off.</summary>
    public void AbortAfter(TimeSpan delay, TimeProvider time)
    {
        lock (gate)
        {
            if (!ended)
            {
                abortTimer ??= time.CreateTimer(_ => Abort(), null, delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Writes whatever the connection has for this socket until it closes, is replaced, or fails.</summary>
    public async Task RunWriterAsync(ClientConnection connection)
    {
        try
        {
            while (await wakeUp.Reader.WaitToReadAsync(lifetime.Token))
            {
                wakeUp.Reader.TryRead(out _);
                while (true)
                {
                    var next = connection.TakeNext(this, out var frame, out var close);
                    if (next == WriteStep.Frame)
                    {
                        await socket.SendAsync(frame.Bytes, frame.Type, endOfMessage: true, lifetime.Token);
                    }
                    else if (next == WriteStep.Close)
                    {
                        await CloseAsync(connection.Protocol, close!);
                        return;
                    }
                    else if (next == WriteStep.Stale)
                    {
                        return;
                    }
                    else
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The socket went away under the writer; the receive loop sees the same and decides what happens next.
            Abort();
        }
    }

    private async Task CloseAsync(ClientProtocol protocol, CloseRequest close)
    {
        if (protocol != ClientProtocol.Plain)
        {
            await socket.SendAsync(ServerMessages.Disconnected(close.Reason), WebSocketMessageType.Text, endOfMessage: true, lifetime.Token);
        }

        await socket.CloseOutputAsync(close.Status, close.FrameReason, lifetime.Token);
    }

    public void Dispose()
    {
        lock (gate)
        {
            ended = true;
            abortTimer?.Dispose();
            lifetime.Dispose();
        }
    }
}

/// <summary>What the writer does next.</summary>
internal enum WriteStep
{
    Idle,
    Frame,
    Close,
    Stale,
}
