using Azure;

namespace BotSociety.DevHost.Storage;

/// <summary>Which exceptions mean "storage did not do it" (refused, timed out, answered an error) rather than a bug.</summary>
internal static class StorageErrors
{
    /// <summary>
    /// The SDK throws RequestFailedException for an error answer and for a failed connection, AggregateException
    /// once its retries are spent, and a cancellation of its own when a request times out.
    /// </summary>
    public static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AggregateException or HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static bool Is(Exception e, int status, string errorCode) =>
        e is RequestFailedException failed && failed.Status == status && string.Equals(failed.ErrorCode, errorCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>The message or its queue is gone, or someone else holds it now: there is nothing left to update or delete.</summary>
    public static bool IsMessageGone(Exception e) =>
        Is(e, 404, "MessageNotFound") || Is(e, 404, "QueueNotFound") || Is(e, 400, "PopReceiptMismatch");
}
