using System.Text;
using System.Text.Json.Nodes;
using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Simulation;
using BotSociety.Core.Usage;
using Microsoft.Extensions.Options;

namespace BotSociety.Core.Traces;

/// <summary>
/// Turns a model call into its trace row: every text passes the secret redactor (a prompt quotes no key, but a
/// provider's error or a model's echo might) and is cut to <c>Traces:MaxTextChars</c>.
/// </summary>
public sealed class TraceFactory(SecretRedactor redactor, IOptions<TracesOptions> options)
{
    /// <summary>The redactor every trace passes, for callers that word a failure before it is traced.</summary>
    public SecretRedactor Redactor => redactor;

    public ModelTrace Create(
        string kind, int? botId, string provider, string model, ModelCall call, TokenUsage usage, TimeSpan latency, double? costUsd,
        string? failureKind, string? failure, DateTime now)
    {
        var messages = new JsonArray();
        foreach (var message in call.Messages)
        {
            messages.Add(new JsonObject { ["role"] = message.Role.Value, ["text"] = Clean(message.Text) });
        }

        var text = messages.ToJsonString(SocietyJson.Options);
        var completion = call.Completion is null ? null : Clean(call.Completion);
        return new ModelTrace
        {
            BotId = botId,
            Kind = kind,
            Provider = TextCut.Cut(provider, 64),
            Model = TextCut.Cut(model, 128),
            Messages = text,
            Completion = completion,
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            CachedInputTokens = usage.CachedInputTokens,
            LatencyMs = Math.Round(latency.TotalMilliseconds, 1),
            CostUsd = costUsd,
            Retries = call.Retries,
            FailureKind = failureKind,
            Failure = failure is null ? null : Clean(failure),
            SizeBytes = Encoding.UTF8.GetByteCount(text) + (completion is null ? 0 : Encoding.UTF8.GetByteCount(completion)),
            CreatedAt = now,
        };
    }

    private string Clean(string text)
    {
        var limit = options.Value.MaxTextChars;
        var redacted = redactor.Redact(text);
        return redacted.Length <= limit ? redacted : string.Concat(redacted.AsSpan(0, limit), $" … [cut: {redacted.Length - limit} more characters]");
    }
}
