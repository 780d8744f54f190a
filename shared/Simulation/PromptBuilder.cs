using System.Globalization;
using System.Text;
using BotSociety.Core.Memory;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Simulation;

/// <summary>
/// Writes a heartbeat's prompt. The line formats are a contract: any model reads them as text,
/// and the offline simulator parses them (<see cref="Llm.Offline.OfflinePrompt"/>), so a config change
/// reaches the simulator exactly as it would reach a real model.
/// </summary>
public static class PromptBuilder
{
    public const string SummaryTaskHeading = "## Task: summarize your recent activity";

    public static IList<ChatMessage> BuildHeartbeat(HeartbeatContext context)
    {
        var bot = context.Bot;
        var p = bot.PersonalityConfig.Personality;
        var b = bot.PersonalityConfig.Behavior;
        var inv = CultureInfo.InvariantCulture;

        var system = new StringBuilder()
            .Append(inv, $"You are {bot.Name}, a member of BotSociety, an online forum whose members are all bots.\n")
            .Append("Stay in character. On each heartbeat you take exactly one action.\n")
            .Append("Answer with one JSON object and nothing else, in one of these shapes:\n")
            .Append("{\"action\":\"create_thread\",\"topic\":\"<one of your interests>\",\"title\":\"<3-200 characters>\",\"body\":\"<1-2000 characters>\"}\n")
            .Append("{\"action\":\"reply\",\"thread_id\":<id>,\"parent_post_id\":<post id, or null to answer the thread>,\"body\":\"<1-2000 characters>\"}\n")
            .Append("{\"action\":\"vote\",\"target_type\":\"thread\" or \"post\",\"target_id\":<id>,\"direction\":\"up\" or \"down\"}\n")
            .Append("{\"action\":\"follow\",\"bot_id\":<id>}\n")
            .Append("{\"action\":\"search\",\"query\":\"<2-200 characters>\"}\n")
            .Append("{\"action\":\"rest\",\"reason\":\"<short reason>\"}\n")
            .Append("Rules: use only ids shown below; never vote on your own writing or twice on one target; ")
            .Append("never follow yourself or someone you already follow.\n");

        var user = new StringBuilder();
        user.Append("## You\n")
            .Append(inv, $"Name: {bot.Name} (#{bot.Id})\n")
            .Append(inv, $"Bio: {p.Bio}\n")
            .Append(inv, $"Traits: {string.Join(", ", p.Traits)}\n")
            .Append(inv, $"Communication style: {p.CommunicationStyle}\n")
            .Append(inv, $"Interests: {string.Join(", ", p.Interests)}\n")
            .Append(inv, $"Quirks: {string.Join("; ", p.Quirks)}\n");
        if (!string.IsNullOrWhiteSpace(p.Catchphrase))
        {
            user.Append(inv, $"Catchphrase: {p.Catchphrase}\n");
        }

        user.Append(inv, $"Behaviour (0-100): creativity_level={b.CreativityLevel}, leadership_tendency={b.LeadershipTendency}, ")
            .Append(inv, $"skepticism={b.Skepticism}, aggression={b.Aggression}, shyness={b.Shyness}\n")
            .Append(inv, $"Engagement style: {b.EngagementStyle}\n")
            .Append(inv, $"Reputation: {bot.ReputationScore:0.0}\n");

        if (context.Memories.Count > 0)
        {
            user.Append("\n## What you remember\n");
            foreach (var m in context.Memories)
            {
                user.Append(FormatMemory(m)).Append('\n');
            }
        }

        if (context.Summaries.Count > 0)
        {
            user.Append("\n## Earlier, in summary\n");
            foreach (var s in context.Summaries)
            {
                user.Append(inv, $"- {s.PeriodStart:yyyy-MM-dd HH:mm} to {s.PeriodEnd:yyyy-MM-dd HH:mm}: {s.Summary}\n");
            }
        }

        user.Append("\n## Following\n")
            .Append(context.Following.Count == 0 ? "nobody yet" : string.Join(", ", context.Following.Select(Ref)))
            .Append('\n');
        if (context.FollowCandidates.Count > 0)
        {
            user.Append("\n## Members you might follow\n").Append(string.Join(", ", context.FollowCandidates.Select(Ref))).Append('\n');
        }

        user.Append("\n## New threads\n");
        if (context.NewThreads.Count == 0)
        {
            user.Append("none yet\n");
        }

        foreach (var t in context.NewThreads)
        {
            user.Append(inv, $"- thread #{t.Id} by {t.AuthorName} (#{t.AuthorId}) [{t.Topic}] score={t.Score} replies={t.ReplyCount} ")
                .Append(inv, $"voted={YesNo(context, VoteTargetKind.Thread, t.Id)}: \"{t.Title}\" - {t.Excerpt}\n");
        }

        AppendPosts(user, "Replies to you", context.RepliesToBot, context);
        AppendPosts(user, "From members you follow", context.FromFollowed, context);

        // Last, so the stable part above stays a cacheable prefix; a model that counts its turns can vary itself.
        user.Append(inv, $"\nThis is your heartbeat #{bot.HeartbeatCount + 1}.\n")
            .Append("Choose your one action now.");

        return [new ChatMessage(ChatRole.System, system.ToString()), new ChatMessage(ChatRole.User, user.ToString())];
    }

    /// <summary>The prompt that asks a bot's model to compress a period of its activity into a cold summary.</summary>
    public static IList<ChatMessage> BuildSummary(string botName, string communicationStyle, IEnumerable<string> activityLines)
    {
        var system = $"You are {botName}, a member of BotSociety. Your communication style is {communicationStyle}.\n"
            + "Write a short first-person summary (two to four sentences) of the activity below, for your own memory: "
            + "what you did, about which topics, and with whom. Plain text, no lists.";
        var user = new StringBuilder(SummaryTaskHeading).Append('\n');
        foreach (var line in activityLines)
        {
            user.Append("- ").Append(line).Append('\n');
        }

        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user.ToString())];
    }

    private static void AppendPosts(StringBuilder user, string heading, IReadOnlyList<FeedPost> posts, HeartbeatContext context)
    {
        if (posts.Count == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        user.Append("\n## ").Append(heading).Append('\n');
        foreach (var post in posts)
        {
            user.Append(inv, $"- post #{post.Id} in thread #{post.ThreadId} [{post.Topic}] by {post.AuthorName} (#{post.AuthorId})");
            if (post.ParentPostId is { } parent)
            {
                user.Append(inv, $" replying to post #{parent}");
            }

            user.Append(inv, $" voted={YesNo(context, VoteTargetKind.Post, post.Id)}: \"{post.Excerpt}\"\n");
        }
    }

    internal static string FormatMemory(WarmMemory m) => m.Category switch
    {
        MemoryCategory.Relationship => string.Create(CultureInfo.InvariantCulture,
            $"- relationship: {m.Subject} (#{m.AboutBotId}) sentiment={m.Sentiment:+0.00;-0.00;0.00}: {m.Content}"),
        MemoryCategory.Fact => $"- fact: {m.Content} (source: {m.Source})",
        MemoryCategory.Opinion => string.Create(CultureInfo.InvariantCulture,
            $"- opinion [{m.Subject}] sentiment={m.Sentiment:+0.00;-0.00;0.00}: {m.Content}"),
        _ => $"- interest: {m.Subject}",
    };

    private static string Ref(BotRef bot) => $"{bot.Name} (#{bot.Id})";

    private static string YesNo(HeartbeatContext context, VoteTargetKind kind, int id) =>
        context.AlreadyVoted.Contains((kind, id)) ? "yes" : "no";
}
