using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Realtime;

/// <summary>
/// Where live events go: a Web PubSub service (Azure's, or our relay, which speaks its protocol) and the hub the
/// dashboards listen on. Without a connection string, events are only logged.
/// </summary>
public sealed class RealtimeOptions : IValidatableObject
{
    public const string SectionName = "Realtime";

    /// <summary><c>Endpoint=http://localhost:7071;AccessKey=…;Version=1.0;</c>, as the Azure portal shows it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The hub; Web PubSub's naming rule.</summary>
    [RegularExpression(@"^[A-Za-z][A-Za-z0-9_`,.\[\]]{0,127}$", ErrorMessage = "Realtime:Hub must start with a letter and hold only letters, digits and _`,.[] (at most 128).")]
    public string Hub { get; set; } = "society";

    /// <summary>
    /// The address browsers reach the service at, when it is not the connection string's endpoint (behind a reverse
    /// proxy such as the compose file's nginx). The token's audience stays the connection string's endpoint.
    /// </summary>
    public Uri? PublicEndpoint { get; set; }

    /// <summary>How long a dashboard's access token from negotiate lives.</summary>
    [Range(1, 1440, ErrorMessage = "Realtime:ClientTokenMinutes must be from 1 to 1440.")]
    public int ClientTokenMinutes { get; set; } = 60;

    /// <summary>The most a tick's events may take to publish; a slow or dead service costs the tick no more.</summary>
    [Range(0.1, 30.0, ErrorMessage = "Realtime:PublishTimeoutSeconds must be from 0.1 to 30.")]
    public double PublishTimeoutSeconds { get; set; } = 2;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// The connection string, parsed once (it was validated at start): the publisher, its signing handler and
    /// negotiate all sign with it. Null when no live stream is configured. A method, not a property, so that
    /// validation, which reads every property, never parses a string it is about to reject.
    /// </summary>
    public WebPubSubConnection? Connection() => IsConfigured ? connection ??= Parse() : null;

    private WebPubSubConnection? connection;

    private WebPubSubConnection Parse() =>
        WebPubSubConnection.TryParse(ConnectionString!, out var parsed, out var error)
            ? parsed
            : throw new InvalidOperationException($"Realtime:ConnectionString {error}");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && !WebPubSubConnection.TryParse(ConnectionString!, out _, out var error))
        {
            yield return new ValidationResult($"Realtime:ConnectionString {error}", [nameof(ConnectionString)]);
        }

        if (PublicEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"Realtime:PublicEndpoint must be an absolute http(s) address; got '{endpoint}'.", [nameof(PublicEndpoint)]);
        }
    }
}
