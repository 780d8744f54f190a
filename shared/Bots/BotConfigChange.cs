namespace BotSociety.Core.Bots;

/// <summary>One change of a bot's config through the API: which JSON paths changed, and the sections before and after.</summary>
public sealed class BotConfigChange
{
    public long Id { get; set; }
    public int BotId { get; set; }
    public Bot? Bot { get; set; }
    public DateTime ChangedAt { get; set; }

    /// <summary><c>update</c>, <c>reset</c> or <c>cost_cap</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>JSON array of the changed paths, for example <c>["behavior.skepticism"]</c>.</summary>
    public required string Fields { get; set; }

    /// <summary>JSON object holding each changed section whole, as it was.</summary>
    public required string Before { get; set; }

    /// <summary>JSON object holding each changed section whole, as it became.</summary>
    public required string After { get; set; }
}

/// <summary>The <c>kind</c> values of a config change.</summary>
public static class ConfigChangeKinds
{
    public const string Update = "update";
    public const string Reset = "reset";

    /// <summary>A daily cap set or put back to the global default; its fields are <c>costs.daily_token_cap</c> and <c>costs.daily_cost_cap_usd</c>.</summary>
    public const string CostCap = "cost_cap";
}
