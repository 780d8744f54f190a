using System.ComponentModel.DataAnnotations;
using System.Text;

namespace BotSociety.Relay.Configuration;

/// <summary>The relay's settings, bound from the "Relay" configuration section and checked at start.</summary>
public sealed class RelayOptions : IValidatableObject
{
    public const string SectionName = "Relay";

    /// <summary><c>Endpoint=…;AccessKey=…;Version=1.0;</c>: the same string the app's server SDK is given.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Hub names the relay serves; empty serves any valid hub name, as Azure does.</summary>
    public IList<string> Hubs { get; init; } = [];

    /// <summary>The largest client frame or REST body; a client frame over it is closed with 1009, a body gets 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageSizeBytes { get; set; } = 1024 * 1024;

    /// <summary>Messages a connection may hold unacknowledged (reliable) or unsent (others) before it is closed with 1008.</summary>
    [Range(1, 1_000_000)]
    public int MaxUnacknowledgedMessages { get; set; } = 1000;

    /// <summary>Bytes a connection may hold unacknowledged or unsent before it is closed with 1008.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxUnacknowledgedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Connections (recoverable ones included) beyond which a new connection is refused with 429 before the upgrade.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>How long a dropped reliable connection can be recovered; the client retries for 30 s.</summary>
    [Range(1, 3600)]
    public int RecoveryWindowSeconds { get; set; } = 30;

    /// <summary>WebSocket ping frames find dead clients; a pong missing for the timeout aborts the socket.</summary>
    [Range(1, 3600)]
    public int KeepAliveIntervalSeconds { get; set; } = 20;

    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Tolerated clock difference when checking a token's exp and nbf. At most 30 s: a token is a credential for
    /// its lifetime, and a longer grace (this was 300) accepted tokens minutes after they expired.
    /// </summary>
    [Range(0, 30)]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Test suites only: maps an endpoint that drops a connection without a close frame.</summary>
    public bool EnableTestEndpoints { get; set; }

    internal ConnectionString ParsedConnectionString =>
        Configuration.ConnectionString.TryParse(ConnectionString, out var parsed, out var error)
            ? parsed!
            : throw new InvalidOperationException($"Relay:ConnectionString {error}.");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Configuration.ConnectionString.TryParse(ConnectionString, out var parsed, out var error))
        {
            yield return new ValidationResult($"Relay:ConnectionString {error}.", [nameof(ConnectionString)]);
            yield break;
        }

        // HS256 with a short key is guessable; Azure keys are 44 characters, and the emulator asks for 32 bytes too.
        if (Encoding.UTF8.GetByteCount(parsed!.AccessKey) < 32)
        {
            yield return new ValidationResult("Relay:ConnectionString has an AccessKey shorter than 32 bytes.", [nameof(ConnectionString)]);
        }

        foreach (var hub in Hubs.Where(hub => !HubName.IsValid(hub)))
        {
            yield return new ValidationResult($"Relay:Hubs has an invalid hub name: {hub}.", [nameof(Hubs)]);
        }
    }
}
