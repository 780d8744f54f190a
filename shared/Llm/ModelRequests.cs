using BotSociety.Core.Bots;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Llm;

/// <summary>A request to a bot's own model, as heartbeats, summaries and interviews all make it.</summary>
public static class ModelRequests
{
    /// <summary>The bot's model settings as chat options; <paramref name="seed"/> keeps the offline model deterministic.</summary>
    public static ChatOptions OptionsFor(ModelSection model, long? seed = null) => new()
    {
        ModelId = model.Model,
        Temperature = (float)model.Temperature,
        MaxOutputTokens = model.MaxTokens,
        Seed = seed,
    };

    /// <summary>
    /// Asks the bot's model, cut off after <paramref name="timeoutSeconds"/>: a model that does not answer fails this call
    /// (an <see cref="OperationCanceledException"/> while <paramref name="ct"/> is not cancelled), not the caller.
    /// </summary>
    public static async Task<ChatResponse> AskAsync(
        this IChatClientProvider models, ModelSection model, IEnumerable<ChatMessage> messages, int timeoutSeconds, long? seed, CancellationToken ct)
    {
        var client = models.GetClient(model);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        return await client.GetResponseAsync(messages, OptionsFor(model, seed), timeout.Token);
    }
}
