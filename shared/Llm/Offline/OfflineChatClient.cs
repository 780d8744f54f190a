using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BotSociety.Core.Data;
using BotSociety.Core.Simulation;
using Microsoft.Extensions.AI;

namespace BotSociety.Core.Llm.Offline;

/// <summary>
/// The offline model: an <see cref="IChatClient"/> that plays the persona its prompt describes.
/// It is deterministic for a given prompt and <see cref="ChatOptions.Seed"/>, and its answers are
/// simulated: the model id it reports, <c>offline-simulator</c>, says so.
/// </summary>
public sealed partial class OfflineChatClient(Phrasebook phrasebook, TokenCounter tokens) : IChatClient
{
    private readonly OfflineWriter writer = new(phrasebook);

    private static readonly ChatClientMetadata Metadata = new("botsociety-offline", null, ModelProviders.OfflineModel);

    private static readonly string[] RestReasons =
    [
        "Reading the feed before saying anything.",
        "Nothing here needs my voice right now.",
        "Taking a break to think it over.",
        "Letting the discussion breathe for a while.",
        "Catching up on older threads first.",
    ];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var system = string.Join("\n", list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var user = string.Join("\n", list.Where(m => m.Role != ChatRole.System).Select(m => m.Text));
        var prompt = OfflinePrompt.Parse(system, user);
        var random = new Random(unchecked((int)SeedFor(options?.Seed, user)));
        var temperature = Math.Clamp(options?.Temperature ?? 0.7f, 0f, 1f);

        var text = OfflineInterview.IsInterview(user) ? OfflineInterview.Answer(user)
            : prompt.IsSummaryTask ? Summarize(prompt)
            : Decide(prompt, random, temperature).ToJsonString(JsonOptions);

        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelProviders.OfflineModel,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = tokens.Count(system) + tokens.Count(user),
                OutputTokenCount = tokens.Count(text),
            },
        };
        response.Usage.TotalTokenCount = response.Usage.InputTokenCount + response.Usage.OutputTokenCount;
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static readonly JsonSerializerOptions JsonOptions = SocietyJson.Options;

    private JsonObject Decide(OfflinePrompt p, Random random, float temperature)
    {
        var engagement = p.Engagement;
        var votable = p.Threads.Concat(p.RepliesToMe).Concat(p.FromFollowed).Where(i => !i.Voted && i.AuthorId != p.SelfId).ToList();
        var replyable = p.Threads.Where(t => t.AuthorId != p.SelfId).Concat(p.RepliesToMe).Concat(p.FromFollowed).ToList();

        // A thread nobody has answered asks for a reply more than the room asks for another thread: people answer
        // before they start something new, so a society has several replies for each thread.
        var unanswered = p.Threads.Any(t => t.AuthorId != p.SelfId && t.Replies == 0);

        // Weights come from the traits the prompt states; the shares below are the persona's tendencies.
        var weights = new Dictionary<string, double>
        {
            [ActivityActions.CreateThread] = 0.4 * (0.5 + (p.Creativity / 60.0) + (p.Leadership / 80.0)) * (1 - (p.Shyness / 125.0))
                * engagement switch { "reactive" => 0.5, "observer" => 0.2, _ => 1.0 } * (unanswered ? 0.5 : 1.0),
            [ActivityActions.Reply] = replyable.Count == 0 ? 0 : 1.3 * (0.6 + ((100 - p.Shyness) / 55.0) + (p.Leadership / 150.0))
                * engagement switch { "reactive" => 1.6, "observer" => 0.3, _ => 1.0 } * (p.RepliesToMe.Count > 0 ? 1.4 : 1.0) * (unanswered ? 1.5 : 1.0),
            [ActivityActions.Vote] = votable.Count == 0 ? 0 : (0.9 + (p.Skepticism / 80.0) + (p.Aggression / 70.0))
                * (engagement == "observer" ? 1.5 : 1.0),
            [ActivityActions.Follow] = p.FollowCandidates.Count == 0 ? 0 : 0.25 + (p.Leadership / 220.0) + ((100 - p.Shyness) / 400.0),
            [ActivityActions.Search] = (0.35 + (p.Creativity / 160.0) + (p.Skepticism / 160.0)) * (engagement == "observer" ? 1.3 : 1.0),
            [ActivityActions.Rest] = 0.3 + (p.Shyness / 45.0),
        };

        // Temperature sharpens (low) or flattens (high) the persona's preferences: a cold bot is predictable.
        var exponent = 1.0 / (0.25 + temperature);
        var action = Pick(random, weights.Select(w => (w.Key, Math.Pow(w.Value, exponent))).ToList());
        return action switch
        {
            ActivityActions.CreateThread => CreateThread(p, random),
            ActivityActions.Reply => Reply(p, random, replyable),
            ActivityActions.Vote => Vote(p, random, votable),
            ActivityActions.Follow => FollowSomeone(p, random),
            ActivityActions.Search => Search(p, random),
            _ => new JsonObject { ["action"] = ActivityActions.Rest, ["reason"] = RestReasons[random.Next(RestReasons.Length)] },
        };
    }

    private JsonObject CreateThread(OfflinePrompt p, Random random)
    {
        var (topic, phrases, subject) = ChooseTopic(p, random);
        var (body, chosen) = writer.Thread(p, random, topic, phrases, phrasebook.MatchTopic(topic) is null ? subject : null);
        var title = OfflineWriter.Fill(Pick(random, phrases.ThreadTitles), chosen, "");
        return new JsonObject
        {
            ["action"] = ActivityActions.CreateThread,
            ["topic"] = topic,
            ["title"] = Capitalize(title),
            ["body"] = body,
        };
    }

    private JsonObject Reply(OfflinePrompt p, Random random, List<OfflinePrompt.Item> replyable)
    {
        // An unanswered thread draws a reply most; then the bot's interests, replies to it, and what scores well.
        var target = PickWeighted(random, replyable, i =>
            (p.Interests.Contains(i.Topic) ? 3.0 : 1.0) * (p.RepliesToMe.Contains(i) ? 2.5 : 1.0) * (i.IsThread && i.Replies == 0 ? 4.0 : 1.0)
            * (1 + (Math.Max(0, i.Score) * 0.2)));
        var phrases = Topic(target.Topic);
        var sentiment = p.Sentiments.GetValueOrDefault(target.AuthorId);

        // Skeptical and aggressive bots disagree more; a bot they like softens them, one they dislike does not.
        var disagreeChance = (((p.Skepticism * 0.5) + (p.Aggression * 0.5)) / 100.0 * 0.8) - (sentiment * 0.3);
        var agrees = random.NextDouble() >= disagreeChance;
        return new JsonObject
        {
            ["action"] = ActivityActions.Reply,
            ["thread_id"] = target.ThreadId,
            ["parent_post_id"] = target.IsThread ? null : target.Id,
            ["body"] = writer.ReplyBody(p, random, target, target.Topic, phrases, agrees),
        };
    }

    private static JsonObject Vote(OfflinePrompt p, Random random, List<OfflinePrompt.Item> votable)
    {
        var target = PickWeighted(random, votable, i => p.Interests.Contains(i.Topic) ? 3.0 : 1.0);
        var sentiment = p.Sentiments.GetValueOrDefault(target.AuthorId);
        var upChance = 0.8 - (p.Aggression / 180.0) - (p.Skepticism / 400.0) + (sentiment * 0.3)
            + (p.Interests.Contains(target.Topic) ? 0.1 : 0);
        return new JsonObject
        {
            ["action"] = ActivityActions.Vote,
            ["target_type"] = target.IsThread ? "thread" : "post",
            ["target_id"] = target.Id,
            ["direction"] = random.NextDouble() < upChance ? "up" : "down",
        };
    }

    private static JsonObject FollowSomeone(OfflinePrompt p, Random random)
    {
        var target = PickWeighted(random, p.FollowCandidates.ToList(), c => 1.0 + Math.Max(0, p.Sentiments.GetValueOrDefault(c.Id) * 4));
        return new JsonObject { ["action"] = ActivityActions.Follow, ["bot_id"] = target.Id };
    }

    private JsonObject Search(OfflinePrompt p, Random random)
    {
        // Look up what the thread at hand is about when one on the bot's interests is in view; otherwise one of its interests.
        var atHand = p.Threads.Where(t => p.Interests.Contains(t.Topic)).ToList();
        if (atHand.Count > 0 && random.Next(100) < 60)
        {
            var thread = Pick(random, atHand);
            var phrases = Topic(thread.Topic);
            return new JsonObject { ["action"] = ActivityActions.Search, ["query"] = OfflineWriter.SubjectOf(thread.Title, phrases) ?? Pick(random, phrases.Subjects) };
        }

        var (_, _, subject) = ChooseTopic(p, random);
        return new JsonObject { ["action"] = ActivityActions.Search, ["query"] = subject };
    }

    private static string Summarize(OfflinePrompt p)
    {
        var counts = new Dictionary<string, int>();
        var topics = new Dictionary<string, int>();
        var people = new Dictionary<string, int>();
        foreach (var line in p.ActivityLines)
        {
            var m = ActivityLine().Match(line);
            if (!m.Success)
            {
                continue;
            }

            counts[m.Groups[1].Value] = counts.GetValueOrDefault(m.Groups[1].Value) + 1;
            if (m.Groups[2].Success)
            {
                topics[m.Groups[2].Value] = topics.GetValueOrDefault(m.Groups[2].Value) + 1;
            }

            if (m.Groups[3].Success)
            {
                people[m.Groups[3].Value] = people.GetValueOrDefault(m.Groups[3].Value) + 1;
            }
        }

        var deeds = new List<string>();
        void Deed(string action, string one, string many)
        {
            if (counts.TryGetValue(action, out var n))
            {
                deeds.Add(n == 1 ? one : string.Format(CultureInfo.InvariantCulture, many, n));
            }
        }

        Deed(ActivityActions.CreateThread, "started a thread", "started {0} threads");
        Deed(ActivityActions.Reply, "replied once", "replied {0} times");
        Deed(ActivityActions.Vote, "cast a vote", "cast {0} votes");
        Deed(ActivityActions.Follow, "followed someone new", "followed {0} members");
        Deed(ActivityActions.Search, "looked something up", "ran {0} searches");
        Deed(ActivityActions.Rest, "took a break", "took {0} breaks");
        var summary = new StringBuilder("Over this stretch I ")
            .Append(deeds.Count == 0 ? "mostly watched" : JoinAnd(deeds)).Append('.');
        if (topics.Count > 0)
        {
            summary.Append(" Most of it was about ")
                .Append(JoinAnd(topics.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(3).Select(t => t.Key).ToList()))
                .Append('.');
        }

        if (people.Count > 0)
        {
            summary.Append(" I dealt most with ")
                .Append(JoinAnd(people.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(3).Select(t => t.Key).ToList()))
                .Append('.');
        }

        // A note to oneself has no sign-off.
        return summary.ToString();
    }

    private (string Topic, TopicPhrases Phrases, string Subject) ChooseTopic(OfflinePrompt p, Random random)
    {
        // Interests listed first matter most; remembered interests add weight, so searching and posting shape a bot.
        var candidates = p.Interests.Select((interest, index) => (interest, weight: 3.0 / (index + 1)))
            .Concat(p.RememberedInterests.Select(i => (interest: i, weight: 0.5)))
            .ToList();
        if (candidates.Count == 0)
        {
            candidates.Add((phrasebook.Topics.Keys.Order(StringComparer.Ordinal).First(), 1.0));
        }

        var interest = PickWeighted(random, candidates, c => c.weight).interest;
        if (phrasebook.MatchTopic(interest) is { } topic)
        {
            var phrases = phrasebook.Topics[topic];
            return (topic, phrases, Pick(random, phrases.Subjects));
        }

        // An interest the phrasebook does not know: talk about it in the words of the nearest general topic.
        var fallback = phrasebook.Topics.Keys.Order(StringComparer.Ordinal).ElementAt(random.Next(phrasebook.Topics.Count));
        return (interest, phrasebook.Topics[fallback], interest);
    }

    private TopicPhrases Topic(string topic) =>
        phrasebook.MatchTopic(topic) is { } key ? phrasebook.Topics[key] : phrasebook.Topics.OrderBy(t => t.Key, StringComparer.Ordinal).First().Value;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string JoinAnd(List<string> items) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    private static T Pick<T>(Random random, List<T> items) => items[random.Next(items.Count)];

    private static string Pick(Random random, List<(string Key, double Weight)> weighted) =>
        PickWeighted(random, weighted, w => w.Weight).Key;

    private static T PickWeighted<T>(Random random, IReadOnlyList<T> items, Func<T, double> weight)
    {
        var total = items.Sum(weight);
        var roll = random.NextDouble() * total;
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    /// <summary>The options' seed when given (the engine always gives one); otherwise a stable hash of the prompt.</summary>
    private static long SeedFor(long? seed, string prompt)
    {
        if (seed is { } s)
        {
            return s;
        }

        // FNV-1a: string.GetHashCode is randomised per process, which would break repeatability.
        var hash = 14695981039346656037UL;
        foreach (var c in prompt)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)hash;
    }

    [GeneratedRegex(@"^\S+ \S+ (\w+)(?: \[([^\]]+)\])?(?: with ([^:]+))?:")]
    private static partial Regex ActivityLine();
}
