using System.Text.Json.Nodes;
using static BotSociety.Core.Tests.FakeHttpServer;

namespace BotSociety.Core.Tests.Providers;

/// <summary>Answers in each provider's wire format, as their API references document them.</summary>
internal static class Wire
{
    public const string RestAction = """{"action":"rest","reason":"taking a breath"}""";

    /// <summary>Anthropic Messages API (<c>POST /v1/messages</c>): a message with one text block and its usage.</summary>
    public static Reply Anthropic(string text, int input = 1000, int output = 50, int cacheRead = 0, int cacheWrite = 0, string stopReason = "end_turn", string model = "claude-sonnet-4-5-20250929") =>
        Reply.Json(new JsonObject
        {
            ["id"] = "msg_01",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = input,
                ["output_tokens"] = output,
                ["cache_read_input_tokens"] = cacheRead,
                ["cache_creation_input_tokens"] = cacheWrite,
            },
        });

    public static Reply AnthropicError(int status, string type, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        Reply.Json(new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }, status, headers);

    /// <summary>OpenAI chat completions (<c>POST /v1/chat/completions</c>).</summary>
    public static Reply OpenAI(string? text, int prompt = 1000, int completion = 50, int cached = 0, string finish = "stop", string model = "gpt-4o-mini-2024-07-18", string? refusal = null) =>
        Reply.Json(new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_760_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = refusal },
                ["finish_reason"] = finish,
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = prompt,
                ["completion_tokens"] = completion,
                ["total_tokens"] = prompt + completion,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
            },
        });

    public static Reply OpenAIError(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        Reply.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = null } }, status, headers);

    /// <summary>Ollama's chat API (<c>POST /api/chat</c>), streamed as NDJSON when the request asks for a stream.</summary>
    public static Reply Ollama(Received request, string text, int prompt = 900, int eval = 40, string model = "llama3.1")
    {
        var done = new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2026-03-02T09:00:00Z",
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 1000,
            ["prompt_eval_count"] = prompt,
            ["eval_count"] = eval,
        };
        var streamed = request.Json["stream"]?.GetValue<bool>() ?? true;
        return streamed ? new Reply(200, done.ToJsonString() + "\n", "application/x-ndjson") : Reply.Json(done);
    }

    /// <summary>Brave Search's web search (<c>GET /res/v1/web/search</c>).</summary>
    public static Reply Brave(params (string Title, string Url, string Description)[] results) =>
        Reply.Json(new JsonObject
        {
            ["type"] = "search",
            ["web"] = new JsonObject
            {
                ["type"] = "search",
                ["results"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject { ["title"] = r.Title, ["url"] = r.Url, ["description"] = r.Description })]),
            },
        });
}
