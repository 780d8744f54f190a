using BotSociety.Core.Bots;
using BotSociety.Core.Data;
using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using BotSociety.Core.Social;
using BotSociety.Core.Usage;

namespace BotSociety.Functions.OpenApi;

/// <summary>
/// What the API's validators and parsers accept, by the type an <c>Api*</c> attribute names: the body type of
/// <see cref="ApiBodyAttribute"/> (rules keyed by JSON path), the parser of <see cref="ApiQueryRulesAttribute"/> and
/// <see cref="Core.Data.Paging"/> for <see cref="ApiPagedAttribute"/> (keyed by query parameter). The document builder
/// states each rule as minimum, maximum, enum, lengths and pattern, so the document refuses what the server refuses;
/// a test builds the document from other rules with <see cref="With"/>.
/// </summary>
internal sealed class ApiRules(IReadOnlyDictionary<Type, IReadOnlyDictionary<string, FieldRule>> byType)
{
    /// <summary>The rules the running API enforces: the validators' and parsers' own tables.</summary>
    public static ApiRules Default { get; } = new(new Dictionary<Type, IReadOnlyDictionary<string, FieldRule>>
    {
        [typeof(PersonalityConfig)] = PersonalityConfigValidator.Rules,
        [typeof(CostCapRequest)] = CostCapService.Rules,
        [typeof(Core.Alerts.AlertRuleRequest)] = Core.Alerts.AlertRuleRequestReader.Rules,
        [typeof(Paging)] = Paging.Rules,
        [typeof(WarmPaging)] = WarmPaging.Rules,
        [typeof(ActivityFilter)] = ActivityFilter.Rules,
        [typeof(ThreadFilter)] = ThreadFilter.Rules,

        // These parsers read ids as digits only and keep their one bound as a constant; their rules are stated here.
        [typeof(VoteFilter)] = Ids("bot_id", "target_bot_id", "thread_id"),
        [typeof(UsageRange)] = Ids("bot_id"),
        [typeof(Core.Export.ExportFilter)] = Ids("bot_id"),
        [typeof(Core.Interview.InterviewRequest)] = new Dictionary<string, FieldRule>(StringComparer.Ordinal)
        {
            ["question"] = new() { MinLength = 1, MaxLength = Core.Interview.InterviewService.MaxQuestionChars },
        },
        [typeof(ReputationHistoryQuery)] = new Dictionary<string, FieldRule>(Ids("bot_id"), StringComparer.Ordinal)
        {
            ["limit"] = FieldRule.Between(1, ReputationHistoryQuery.MaxLimit),
        },
    });

    /// <summary>The rules of <paramref name="type"/>; none when it has no table.</summary>
    public IReadOnlyDictionary<string, FieldRule>? For(Type type) => byType.GetValueOrDefault(type);

    /// <summary>These rules with <paramref name="type"/>'s rule for <paramref name="field"/> replaced.</summary>
    public ApiRules With(Type type, string field, FieldRule rule)
    {
        var rules = new Dictionary<Type, IReadOnlyDictionary<string, FieldRule>>(byType)
        {
            [type] = new Dictionary<string, FieldRule>(For(type) ?? new Dictionary<string, FieldRule>(), StringComparer.Ordinal) { [field] = rule },
        };
        return new ApiRules(rules);
    }

    private static Dictionary<string, FieldRule> Ids(params string[] names) =>
        names.ToDictionary(n => n, _ => FieldRule.Id, StringComparer.Ordinal);
}
