using System.Text.Json;
using BotSociety.Core.Data;

namespace BotSociety.Core.Simulation;

/// <summary>
/// One queued batch of due heartbeats (<c>Society:Dispatch=queue</c>): the claim that holds its bots, the bots, and
/// the tick that claimed them, as snake_case JSON (<c>{"claim":…,"bots":[…],"tick":…,"claimed_at":…}</c>). The claim, not the message, decides who acts: a bot whose claim lapsed and was taken
/// by a later tick is skipped here, so a message delivered twice, or late, never makes a bot act twice.
/// </summary>
public sealed record HeartbeatBatch(string Claim, IReadOnlyList<int> Bots, long Tick, DateTime ClaimedAt)
{
    public string ToMessage() => JsonSerializer.Serialize(this, SocietyJson.Options);

    /// <summary>Reads a queue message strictly.</summary>
    /// <exception cref="FormatException">The message is not a batch; the reason names what is wrong.</exception>
    public static HeartbeatBatch Parse(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new FormatException("the heartbeat batch message is empty");
        }

        HeartbeatBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize<HeartbeatBatch>(message, SocietyJson.Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the heartbeat batch message is not valid batch JSON ({e.Message})", e);
        }

        if (batch is null)
        {
            throw new FormatException("the heartbeat batch message is JSON null");
        }

        if (string.IsNullOrWhiteSpace(batch.Claim))
        {
            throw new FormatException("the heartbeat batch message has no 'claim'");
        }

        if (batch.Bots is null || batch.Bots.Count == 0)
        {
            throw new FormatException("the heartbeat batch message names no 'bots'");
        }

        return batch;
    }
}
