using System.Collections.Frozen;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotSociety.Core.Bots;
using BotSociety.Core.Data;

namespace BotSociety.Core.Alerts;

/// <summary>
/// The body of a rule's create or replace, as the API documents it. <see cref="AlertRuleRequestReader"/> reads the body
/// strictly by these names; which numbers are required depends on the kind.
/// </summary>
public sealed record AlertRuleRequest(
    [property: JsonRequired, Description("What the rule watches: heartbeat_failed, usage_capped, spend, reputation_drop or events_lost.")]
    string Kind,
    [property: Description("The bot watched; left out or null for every bot. events_lost watches the society and takes none.")]
    int? BotId = null,
    [property: Description("heartbeat_failed: failed heartbeats within the window that fire the rule. Required for it, refused for the other kinds.")]
    int? Count = null,
    [property: Description("heartbeat_failed and reputation_drop: the window, in minutes. Required for them, refused for the other kinds.")]
    int? WindowMinutes = null,
    [property: Description("spend: the share of a daily cap (tokens or cost), in percent, that fires the rule. Required for it, refused for the other kinds.")]
    double? Percent = null,
    [property: Description("reputation_drop: points lost from the highest score within the window. Required for it, refused for the other kinds.")]
    double? Points = null,
    [property: Description("An absolute http or https address told of each firing with a signed POST; null for none.")]
    string? WebhookUrl = null,
    [property: Description("The HMAC-SHA256 key of the webhook's X-BotSociety-Signature; required with a webhook_url. On a replace, left out it keeps the current one (null removes it). Never returned.")]
    string? Secret = null);

/// <summary>
/// A body as read: the request when it is valid, else every error; and whether the secret was left out (which on a
/// replace keeps the current one) rather than given, null included (which on a replace removes it).
/// </summary>
public sealed record AlertRuleBody(AlertRuleRequest? Request, IReadOnlyList<FieldError> Errors, bool SecretLeftOut);

/// <summary>Reads and checks an <see cref="AlertRuleRequest"/> body; every error names its member.</summary>
public static class AlertRuleRequestReader
{
    public const string KindField = "kind";
    public const string BotIdField = "bot_id";
    public const string CountField = "count";
    public const string WindowField = "window_minutes";
    public const string PercentField = "percent";
    public const string PointsField = "points";
    public const string WebhookField = "webhook_url";
    public const string SecretField = "secret";

    public const int MaxCount = 1000;
    public const int MaxWindowMinutes = 7 * 24 * 60;
    public const double MinPercent = 1;
    public const double MaxPercent = 100;

    /// <summary>A score moves by at least half a point (a reply received), so a smaller drop cannot be seen.</summary>
    public const double MinPoints = 0.5;
    public const double MaxPoints = 1000;
    public const int MaxWebhookLength = 2048;
    public const int MinSecretLength = 8;
    public const int MaxSecretLength = 256;

    private static readonly string[] Fields = [KindField, BotIdField, CountField, WindowField, PercentField, PointsField, WebhookField, SecretField];

    /// <summary>The numbers each kind needs; any other number given is refused, so a rule never holds a setting it ignores.</summary>
    private static readonly FrozenDictionary<string, string[]> NumbersOf = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AlertKinds.HeartbeatFailed] = [CountField, WindowField],
        [AlertKinds.UsageCapped] = [],
        [AlertKinds.Spend] = [PercentField],
        [AlertKinds.ReputationDrop] = [PointsField, WindowField],
        [AlertKinds.EventsLost] = [],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The bounds <see cref="ReadAsync"/> checks, by body member; the API document states them (ApiRules).</summary>
    public static IReadOnlyDictionary<string, FieldRule> Rules { get; } = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
    {
        [KindField] = FieldRule.Choice(AlertKinds.All),
        [BotIdField] = FieldRule.Id,
        [CountField] = FieldRule.Between(1, MaxCount),
        [WindowField] = FieldRule.Between(1, MaxWindowMinutes),
        [PercentField] = FieldRule.Between(MinPercent, MaxPercent),
        [PointsField] = FieldRule.Between(MinPoints, MaxPoints),
        [WebhookField] = new() { MaxLength = MaxWebhookLength, Pattern = "^[Hh][Tt][Tt][Pp][Ss]?://" },
        [SecretField] = new() { MinLength = MinSecretLength, MaxLength = MaxSecretLength },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Reads a body like <c>{"kind": "heartbeat_failed", "count": 3, "window_minutes": 10}</c>. Whether a secret is
    /// required is the caller's to say (a replace may keep the current one); a secret without a webhook is refused here.
    /// </summary>
    public static async Task<AlertRuleBody> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        // Read twice: JsonBody holds the body's shape to the API's common rules (an object, known members, valid text),
        // and the members are read here, since which of them a rule may hold depends on its kind.
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        var strict = await JsonBody.ReadAsync(buffer, Fields, cancellationToken);
        var before = strict.Errors.Count;
        var kind = strict.RequiredString(KindField);

        // JsonBody adds no error for kind when the body is not a readable object: it has said so once already.
        if (kind is null && strict.Errors.Count == before)
        {
            return new(null, strict.Errors, false);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        var reader = new Members(document.RootElement, [.. strict.Errors]);
        if (kind is not null && !NumbersOf.ContainsKey(kind))
        {
            reader.Fail(KindField, $"must be one of {string.Join(", ", AlertKinds.All)}; got '{kind}'");
        }

        var needed = kind is not null && NumbersOf.TryGetValue(kind, out var numbers) ? numbers : null;
        var count = reader.Int(CountField, 1, MaxCount, needed, kind);
        var window = reader.Int(WindowField, 1, MaxWindowMinutes, needed, kind);
        var percent = reader.Number(PercentField, MinPercent, MaxPercent, needed, kind);
        var points = reader.Number(PointsField, MinPoints, MaxPoints, needed, kind);
        var botId = reader.BotId();
        if (botId is not null && kind == AlertKinds.EventsLost)
        {
            reader.Fail(BotIdField, "must be left out for events_lost, which watches the whole society");
        }

        var webhook = reader.Text(WebhookField, 0, MaxWebhookLength);
        if (webhook is not null && !IsHttpUrl(webhook))
        {
            reader.Fail(WebhookField, $"must be an absolute http or https URL such as https://hooks.example.com/botsociety; got '{TextCut.Cut(webhook, 100)}'");
        }

        var secret = reader.Text(SecretField, MinSecretLength, MaxSecretLength);
        if (secret is not null && reader.IsNullOrAbsent(WebhookField))
        {
            reader.Fail(SecretField, "is used only with a webhook_url; leave it out or give the webhook_url too");
        }

        var request = reader.Errors.Count > 0 ? null : new AlertRuleRequest(kind!, botId, count, window, percent, points, webhook, secret);
        return new(request, reader.Errors, !document.RootElement.TryGetProperty(SecretField, out _));
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>The members of a body known to be an object of valid text.</summary>
    private sealed class Members(JsonElement root, List<FieldError> errors)
    {
        public List<FieldError> Errors => errors;

        public void Fail(string field, string message) => errors.Add(new(field, message));

        public bool IsNullOrAbsent(string field) => Value(field) is null;

        /// <summary>A whole number the kind needs (required), or one it does not use (refused); any kind when the kind is unknown.</summary>
        public int? Int(string field, int min, int max, string[]? needed, string? kind)
        {
            if (!Allowed(field, needed, kind, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            {
                Fail(field, $"must be a whole number; got {JsonBody.Describe(value)}");
                return null;
            }

            if (number < min || number > max)
            {
                Fail(field, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max}; got {number}"));
                return null;
            }

            return number;
        }

        /// <summary>A number the kind needs, or one it does not use, as <see cref="Int"/>.</summary>
        public double? Number(string field, double min, double max, string[]? needed, string? kind)
        {
            if (!Allowed(field, needed, kind, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                Fail(field, $"must be a number; got {JsonBody.Describe(value)}");
                return null;
            }

            if (number < min || number > max)
            {
                Fail(field, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max}; got {number}"));
                return null;
            }

            return number;
        }

        public int? BotId()
        {
            if (Value(BotIdField) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var id) || id < 0)
            {
                Fail(BotIdField, $"must be a bot's numeric id or null; got {JsonBody.Describe(value)}");
                return null;
            }

            return id;
        }

        public string? Text(string field, int minLength, int maxLength)
        {
            if (Value(field) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(field, $"must be a string or null; got {JsonBody.Describe(value)}");
                return null;
            }

            var text = value.GetString()!;
            if (text.Length < minLength || text.Length > maxLength)
            {
                Fail(field, string.Create(CultureInfo.InvariantCulture, $"must be {minLength} to {maxLength} characters long; got {text.Length}"));
                return null;
            }

            return text;
        }

        private bool Allowed(string field, string[]? needed, string? kind, out JsonElement value)
        {
            var given = Value(field);
            value = given ?? default;
            if (needed is not null && !needed.Contains(field))
            {
                if (given is not null)
                {
                    Fail(field, $"is not used by kind {kind}; leave it out");
                }

                return false;
            }

            if (given is null && needed is not null)
            {
                Fail(field, $"is required for kind {kind}");
            }

            return given is not null;
        }

        /// <summary>The member, or null when it is absent or JSON null (which mean the same here: no value).</summary>
        private JsonElement? Value(string field) =>
            root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }
}
