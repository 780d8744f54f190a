using BotSociety.Core.Bots;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Llm;

/// <summary>Gives the chat client for a bot's model settings; read on every heartbeat, so a config change applies on the next one.</summary>
public interface IChatClientProvider
{
    IChatClient GetClient(ModelSection model);
}

/// <summary>Resolves providers to clients, wrapping each in the library's logging middleware.</summary>
internal sealed class ChatClientProvider : IChatClientProvider, IDisposable
{
    private readonly IChatClient offline;

    public ChatClientProvider(Offline.OfflineChatClient offlineClient, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory)
    {
        offline = new ChatClientBuilder(offlineClient).UseLogging(loggerFactory).Build();
    }

    public IChatClient GetClient(ModelSection model) => model.Provider switch
    {
        ModelProviders.Offline => offline,
        _ => throw new NotSupportedException(
            $"model.provider '{model.Provider}' is not available; choose one of {string.Join(", ", ModelProviders.Known)}."),
    };

    public void Dispose() => offline.Dispose();
}
