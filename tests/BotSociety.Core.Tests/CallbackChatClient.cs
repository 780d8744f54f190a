using BotSociety.Core.Bots;
using BotSociety.Core.Llm;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Tests;

/// <summary>A hand-written model: a callback decides the answer text; usage is a fixed, visible size.</summary>
internal sealed class CallbackChatClient(Func<CallbackChatClient.Call, string> answer) : IChatClient
{
    public const int InputTokens = 100;
    public const int OutputTokens = 20;

    /// <summary>What the model was asked: the whole prompt, and the bot's name read from it.</summary>
    internal sealed record Call(string Prompt, string BotName, ChatOptions? Options);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        var name = prompt.Split("You are ", 2)[1].Split(',', 2)[0];
        var text = answer(new Call(prompt, name, options));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "callback-model",
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal sealed class CallbackModelProvider(IChatClient client) : IChatClientProvider
{
    public IChatClient GetClient(ModelSection model) => client;
}
