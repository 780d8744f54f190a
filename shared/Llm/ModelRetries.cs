using System.Runtime.CompilerServices;

namespace BotSociety.Core.Llm;

/// <summary>
/// Counts the HTTP retries the models' resilience handler makes within one model call, so the call's trace can say how
/// many there were: the handler runs deep inside a provider's SDK, and the async flow is the one thing both share.
/// </summary>
public static class ModelRetries
{
    private static readonly AsyncLocal<StrongBox<int>?> Current = new();

    /// <summary>Starts counting for the calling async flow (and what it awaits); read the box after the call.</summary>
    public static StrongBox<int> Begin()
    {
        var box = new StrongBox<int>();
        Current.Value = box;
        return box;
    }

    /// <summary>Called by the resilience handler on each retry.</summary>
    internal static void Count()
    {
        if (Current.Value is { } box)
        {
            Interlocked.Increment(ref box.Value);
        }
    }
}
