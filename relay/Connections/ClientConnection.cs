using System.Buffers.Text;
using System.Net.WebSockets;
using System.Security.Cryptography;
using BotSociety.Relay.Auth;
using BotSociety.Relay.Messages;

namespace BotSociety.Relay.Connections;

/// <summary>
/// A logical client connection: identity, roles, the outbound buffer and the socket currently attached. Every
/// frame for the client passes through here in order: controls (connected, ack, pong) first, then data messages
/// by sequence id. All mutable state is guarded by one lock; the socket is written only by its attachment.
/// </summary>
internal sealed class ClientConnection
{
    private const int RememberedAckIds = 4096;

    private readonly Lock gate = new();
    private readonly Hub hub;
    private readonly TimeProvider time;
    private readonly TimeSpan recoveryWindow;
    private readonly ReliableBuffer buffer;
    private readonly Queue<byte[]> controls = new();
    private readonly HashSet<string> roles;
    private readonly HashSet<long> ackIds = [];
    private readonly Queue<long> ackIdOrder = new();
    private SocketAttachment? current;
    private long cursor = 1;
    private long highestWritten;
    private int generation;
    private ITimer? expiry;
    private CloseRequest? closing;
    private bool closed;

    public ClientConnection(Hub hub, TokenClaims claims, ClientProtocol protocol, ConnectionLimits limits, TimeProvider time)
    {
        this.hub = hub;
        this.time = time;
        Protocol = protocol;
        UserId = claims.UserId;
        roles = [.. claims.Roles];
        recoveryWindow = limits.RecoveryWindow;
        buffer = new ReliableBuffer(limits.MaxUnacknowledgedMessages, limits.MaxUnacknowledgedBytes);
        Id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        ReconnectionToken = protocol == ClientProtocol.ReliableJson ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) : null;
    }

    public string Id { get; }

    public string? UserId { get; }

    public ClientProtocol Protocol { get; }

    public string? ReconnectionToken { get; }

    public Hub Hub => hub;

    /// <summary>Group names this connection is in; guarded by the hub's lock, not this connection's.</summary>
    internal HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    public bool IsAttached
    {
        get
        {
            lock (gate)
            {
                return current is not null;
            }
        }
    }

    /// <summary>Attaches the first socket; <c>connected</c> goes out before anything else.</summary>
    public void AttachFirst(SocketAttachment attachment)
    {
        lock (gate)
        {
            current = attachment;
            if (Protocol != ClientProtocol.Plain)
            {
                controls.Enqueue(ServerMessages.Connected(Id, UserId, ReconnectionToken));
            }

            attachment.Signal();
        }
    }

    /// <summary>
    /// Moves the connection to a new socket and replays every unacknowledged message from the oldest. A socket the
    /// relay has not noticed dropping yet is cut off, so only one socket is ever written.
    /// </summary>
    public bool TryRecover(string reconnectionToken, SocketAttachment attachment)
    {
        SocketAttachment? previous;
        lock (gate)
        {
            if (closed || closing is not null || ReconnectionToken is null
                || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(ReconnectionToken), System.Text.Encoding.UTF8.GetBytes(reconnectionToken)))
            {
                return false;
            }

            previous = current;
            current = attachment;
            generation++;
            expiry?.Dispose();
            expiry = null;
            cursor = buffer.FirstSequenceId;
            controls.Clear();
            attachment.Signal();
        }

        previous?.Abort();
        return true;
    }

    /// <summary>Numbers and queues a data message; a buffer over its limit closes the connection with 1008.</summary>
    public void Send(OutgoingMessage message)
    {
        lock (gate)
        {
            if (closed || closing is not null)
            {
                return;
            }

            var frame = Protocol switch
            {
                ClientProtocol.ReliableJson => message.WithSequenceId(buffer.NextSequenceId),
                ClientProtocol.Json => Frame.Text(message.Envelope),
                _ => message.Plain,
            };
            if (buffer.TryAppend(frame))
            {
                current?.Signal();
                return;
            }
        }

        Close(new CloseRequest(WebSocketCloseStatus.PolicyViolation, "The connection's message buffer is full.", Drain: false));
    }

    /// <summary>Acks, pongs: never numbered, never replayed; they only matter to the socket they answer.</summary>
    public void SendControl(byte[] json)
    {
        lock (gate)
        {
            if (!closed && closing is null && current is not null)
            {
                controls.Enqueue(json);
                current.Signal();
            }
        }
    }

    public void AcknowledgeSequence(long sequenceId)
    {
        lock (gate)
        {
            // An id beyond anything ever written is a confused client; acknowledging it would lose messages.
            buffer.Acknowledge(Math.Min(sequenceId, highestWritten));
        }
    }

    public bool WasAckIdProcessed(long ackId)
    {
        lock (gate)
        {
            return ackIds.Contains(ackId);
        }
    }

    /// <summary>Only successful operations are remembered, as the emulator does; the oldest ids are forgotten first.</summary>
    public void RememberAckId(long ackId)
    {
        lock (gate)
        {
            if (ackIds.Add(ackId))
            {
                ackIdOrder.Enqueue(ackId);
                if (ackIdOrder.Count > RememberedAckIds)
                {
                    ackIds.Remove(ackIdOrder.Dequeue());
                }
            }
        }
    }

    public bool HasRole(string role)
    {
        lock (gate)
        {
            return roles.Contains(role);
        }
    }

    public void Grant(string role)
    {
        lock (gate)
        {
            roles.Add(role);
        }
    }

    public void Revoke(string role)
    {
        lock (gate)
        {
            roles.Remove(role);
        }
    }

    /// <summary>The writer's next step for <paramref name="attachment"/>.</summary>
    public WriteStep TakeNext(SocketAttachment attachment, out Frame frame, out CloseRequest? close)
    {
        frame = default;
        close = null;
        lock (gate)
        {
            if (attachment != current)
            {
                return WriteStep.Stale;
            }

            if (closing is { Drain: false })
            {
                close = closing;
                return WriteStep.Close;
            }

            if (controls.TryDequeue(out var control))
            {
                frame = Frame.Text(control);
                return WriteStep.Frame;
            }

            if (buffer.TryGet(cursor, out frame))
            {
                highestWritten = Math.Max(highestWritten, cursor);
                cursor++;
                if (Protocol != ClientProtocol.ReliableJson)
                {
                    // Without sequence acks a written message is done with; the buffer only bounds the backlog.
                    buffer.Acknowledge(cursor - 1);
                }

                return WriteStep.Frame;
            }

            close = closing;
            return close is null ? WriteStep.Idle : WriteStep.Close;
        }
    }

    /// <summary>A close by the relay (REST call, limit): final, leaves the hub now, socket closed by the writer.</summary>
    public void Close(CloseRequest request)
    {
        lock (gate)
        {
            if (closed || closing is not null)
            {
                return;
            }

            closing = request;
            if (!request.Drain)
            {
                buffer.Clear();
                controls.Clear();
            }

            if (current is null)
            {
                closed = true;
            }
            else
            {
                current.Signal();
                current.AbortAfter(TimeSpan.FromSeconds(5), time);
            }

            expiry?.Dispose();
        }

        hub.Remove(this);
    }

    /// <summary>Drops the socket without a close frame, as a network failure would.</summary>
    public void Drop()
    {
        SocketAttachment? attachment;
        lock (gate)
        {
            attachment = current;
        }

        attachment?.Abort();
    }

    /// <summary>
    /// The socket has ended. A reliable connection whose client did not close normally (1000) stays recoverable
    /// for the recovery window; anything else leaves the hub.
    /// </summary>
    public void OnSocketEnded(SocketAttachment attachment, WebSocketCloseStatus? clientStatus)
    {
        lock (gate)
        {
            if (attachment != current)
            {
                return;
            }

            current = null;
            if (!closed && closing is null && Protocol == ClientProtocol.ReliableJson && clientStatus != WebSocketCloseStatus.NormalClosure)
            {
                var expected = generation;
                expiry = time.CreateTimer(_ => Expire(expected), null, recoveryWindow, Timeout.InfiniteTimeSpan);
                return;
            }

            closed = true;
        }

        hub.Remove(this);
    }

    private void Expire(int expectedGeneration)
    {
        lock (gate)
        {
            if (current is not null || closed || generation != expectedGeneration)
            {
                return;
            }

            closed = true;
            expiry?.Dispose();
        }

        hub.Remove(this);
    }
}
