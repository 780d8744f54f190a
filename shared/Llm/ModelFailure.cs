using System.ClientModel;
using Anthropic.Exceptions;
using Polly.Timeout;

namespace BotSociety.Core.Llm;

/// <summary>The kinds of model failure a heartbeat records; <see cref="Auth"/> pauses the provider's bots.</summary>
public static class ModelFailureKinds
{
    public const string Timeout = "timeout";
    public const string Auth = "auth";
    public const string RateLimit = "rate_limit";
    public const string Server = "server_error";
    public const string Network = "network";
    public const string Rejected = "rejected";
    public const string Malformed = "malformed";
    public const string Refusal = "refusal";
    public const string Unavailable = "unavailable";
}

/// <summary>Why a model call failed, in words an operator can act on, with no secret in it.</summary>
public sealed record ModelFailure(string Kind, string Reason)
{
    /// <summary>Reads an SDK's or the HTTP stack's exception, whichever provider threw it.</summary>
    public static ModelFailure FromException(Exception exception, string provider, SecretRedactor redactor)
    {
        if (exception is ModelCallException read)
        {
            return read.Failure;
        }

        var status = StatusOf(exception);
        var detail = ApiMessageOf(exception);
        var said = detail is null ? "" : $": {redactor.Redact(Data.TextCut.Cut(detail, 200))}";
        return status switch
        {
            401 or 403 => new(ModelFailureKinds.Auth, $"{provider} refused the key (HTTP {status}){said}"),
            429 => new(ModelFailureKinds.RateLimit, $"{provider} is rate limiting us (HTTP 429), still after retries{said}"),
            >= 500 => new(ModelFailureKinds.Server, $"{provider} had a server error (HTTP {status}), still after retries{said}"),
            >= 400 => new(ModelFailureKinds.Rejected, $"{provider} rejected the request (HTTP {status}){said}"),
            _ when Find<TimeoutRejectedException>(exception) is not null || exception is OperationCanceledException =>
                new(ModelFailureKinds.Timeout, $"{provider} did not answer in time, still after retries"),
            _ when Find<HttpRequestException>(exception) is { } http =>
                new(ModelFailureKinds.Network, $"{provider} could not be reached: {redactor.Redact(http.Message)}"),
            _ => new(ModelFailureKinds.Malformed, $"{provider}'s answer could not be read: {redactor.Redact(Data.TextCut.Cut(exception.GetBaseException().Message, 200))}"),
        };
    }

    private static int? StatusOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AnthropicApiException anthropic:
                    return (int)anthropic.StatusCode;
                case ClientResultException openAi when openAi.Status != 0:
                    return openAi.Status;
                case HttpRequestException { StatusCode: { } code }:
                    return (int)code;
            }
        }

        return null;
    }

    private static string? ApiMessageOf(Exception exception) => exception switch
    {
        AnthropicServiceException { ApiMessage: { Length: > 0 } message } => message,
        ClientResultException { Message: { Length: > 0 } message } => message.Split('\n', 2)[0],
        _ => null,
    };

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>
/// A provider call that failed, already read into a <see cref="ModelFailure"/> with every secret blanked. The provider's
/// own exception is not kept as the inner exception: its message may quote the service's answer, which may quote the
/// key, and the logging middleware writes what it is given.
/// </summary>
public sealed class ModelCallException(ModelFailure failure) : Exception(failure.Reason)
{
    public ModelFailure Failure { get; } = failure;
}
