using BotSociety.Relay.Messages;

namespace BotSociety.Relay.Connections;

/// <summary>
/// A connection's data messages from the moment they are numbered until the client acknowledges them (reliable
/// subprotocol) or they are written (others). Sequence ids start at 1 and never skip, so the entry for id n sits at
/// index n - first. Not thread-safe: the owning <see cref="ClientConnection"/> holds its lock around every call.
/// </summary>
internal sealed class ReliableBuffer(int maxMessages, long maxBytes)
{
    private readonly List<Frame> frames = [];
    private long firstSequenceId = 1;

    public long BufferedBytes { get; private set; }

    /// <summary>The id the next appended message gets.</summary>
    public long NextSequenceId => firstSequenceId + frames.Count;

    /// <summary>The oldest id still held: where a recovered connection starts writing again.</summary>
    public long FirstSequenceId => firstSequenceId;

    public int Count => frames.Count;

    /// <summary>False, and nothing kept, when the frame would take the buffer over either limit.</summary>
    public bool TryAppend(Frame frame)
    {
        if (frames.Count + 1 > maxMessages || BufferedBytes + frame.Bytes.Length > maxBytes)
        {
            return false;
        }

        frames.Add(frame);
        BufferedBytes += frame.Bytes.Length;
        return true;
    }

    public bool TryGet(long sequenceId, out Frame frame)
    {
        var index = sequenceId - firstSequenceId;
        if (index < 0 || index >= frames.Count)
        {
            frame = default;
            return false;
        }

        frame = frames[(int)index];
        return true;
    }

    /// <summary>An ack of n covers every id up to n; ids already gone or not yet sent are ignored.</summary>
    public void Acknowledge(long sequenceId)
    {
        var count = (int)Math.Min(Math.Max(sequenceId - firstSequenceId + 1, 0), frames.Count);
        if (count == 0)
        {
            return;
        }

        for (var i = 0; i < count; i++)
        {
            BufferedBytes -= frames[i].Bytes.Length;
        }

        frames.RemoveRange(0, count);
        firstSequenceId += count;
    }

    public void Clear() => Acknowledge(NextSequenceId - 1);
}
