namespace BotSociety.Core.Simulation;

/// <summary>
/// Derives per-heartbeat seeds from the society seed (SplitMix64). Seeds depend only on the society seed,
/// the bot and its heartbeat number, never on timing or thread order, so a run can be repeated exactly.
/// </summary>
public static class SeedMixer
{
    public static long For(long societySeed, int botId, long heartbeat)
    {
        var x = unchecked((ulong)societySeed + ((ulong)botId * 0x9E3779B97F4A7C15UL) + ((ulong)heartbeat * 0xBF58476D1CE4E5B9UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((long)(x ^ (x >> 31)));
    }

    /// <summary>A value in [0, 1) from a seed, for jitter.</summary>
    public static double Unit(long seed) => (double)((ulong)For(seed, 0, 1) >> 11) / (1UL << 53);
}
