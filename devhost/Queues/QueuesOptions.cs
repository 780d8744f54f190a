using System.Globalization;
using System.Text.Json;
using BotSociety.DevHost.Settings;

namespace BotSociety.DevHost.Queues;

/// <summary>How queue messages travel: base64 text (the host's default) or the text as it is.</summary>
internal enum QueueEncoding
{
    Base64,
    None,
}

/// <summary>
/// host.json <c>extensions.queues</c>, with the Storage Queues extension's defaults and limits (QueuesOptions in
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues 5.x).
/// </summary>
/// <param name="BatchSize">Messages fetched per receive; the extension allows 1 to 32.</param>
/// <param name="NewBatchThreshold">Set explicitly, or null for the extension's default.</param>
/// <param name="MaxPollingInterval">The longest wait between polls of an empty queue.</param>
/// <param name="VisibilityTimeout">How long a message whose invocation failed stays invisible before its retry.</param>
/// <param name="MaxDequeueCount">Attempts before a failing message moves to the poison queue.</param>
/// <param name="MessageEncoding">How message text is encoded in the queue.</param>
internal sealed record QueuesOptions(
    int BatchSize,
    int? NewBatchThreshold,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int MaxDequeueCount,
    QueueEncoding MessageEncoding)
{
    public const int MaxBatchSize = 32;

    /// <summary>The shortest wait between polls, and where the backoff starts (QueuePollingIntervals.Minimum).</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    public static QueuesOptions Default { get; } = new(16, null, TimeSpan.FromMinutes(1), TimeSpan.Zero, 5, QueueEncoding.Base64);

    /// <summary>
    /// When this few invocations are still running, the next batch is fetched. Unset, it is half the batch size
    /// per processor, as the extension computes it on a machine that is not a Consumption plan.
    /// </summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

    /// <summary>Reads the section (null when host.json has none); every wrong value names its host.json path.</summary>
    /// <exception cref="DevHostStartupException">A value is of the wrong kind or out of range.</exception>
    public static QueuesOptions Read(JsonElement? section, string file)
    {
        if (section is not { ValueKind: JsonValueKind.Object } queues)
        {
            return Default;
        }

        var options = Default;
        foreach (var property in queues.EnumerateObject())
        {
            var path = $"'{file}': extensions.queues.{property.Name}";
            options = property.Name.ToUpperInvariant() switch
            {
                "BATCHSIZE" => options with { BatchSize = Integer(property.Value, path, 1, MaxBatchSize) },
                "NEWBATCHTHRESHOLD" => options with { NewBatchThreshold = Integer(property.Value, path, 0, int.MaxValue) },
                "MAXDEQUEUECOUNT" => options with { MaxDequeueCount = Integer(property.Value, path, 1, int.MaxValue) },
                "MAXPOLLINGINTERVAL" => options with { MaxPollingInterval = Duration(property.Value, path, MinimumPollingInterval) },
                "VISIBILITYTIMEOUT" => options with { VisibilityTimeout = Duration(property.Value, path, TimeSpan.Zero) },
                "MESSAGEENCODING" => options with { MessageEncoding = Encoding(property.Value, path) },
                // Settings devhost has no use for (e.g. the deprecated poison message handling switches) are left alone.
                _ => options,
            };
        }

        return options;
    }

    private static int Integer(JsonElement value, string path, int minimum, int maximum)
    {
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => (int?)null,
        };
        return parsed is { } result && result >= minimum && result <= maximum
            ? result
            : throw new DevHostStartupException(maximum == int.MaxValue
                ? $"{path} must be a whole number of at least {minimum}; got {value.GetRawText()}"
                : $"{path} must be a whole number from {minimum} to {maximum}; got {value.GetRawText()}");
    }

    private static TimeSpan Duration(JsonElement value, string path, TimeSpan minimum) =>
        value.ValueKind == JsonValueKind.String
        && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var parsed)
        && parsed >= minimum
            ? parsed
            : throw new DevHostStartupException(
                $"{path} must be a duration like \"00:00:30\" of at least {minimum.ToString("c", CultureInfo.InvariantCulture)}; got {value.GetRawText()}");

    private static QueueEncoding Encoding(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && Enum.TryParse<QueueEncoding>(value.GetString(), ignoreCase: true, out var encoding)
        && Enum.IsDefined(encoding)
            ? encoding
            : throw new DevHostStartupException($"{path} must be \"base64\" or \"none\"; got {value.GetRawText()}");
}
