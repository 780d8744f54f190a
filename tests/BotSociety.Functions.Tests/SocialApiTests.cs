using System.Net;
using System.Text.Json;

namespace BotSociety.Functions.Tests;

/// <summary>Threads, their reply trees and votes, follows and the activity filters, read over HTTP as the dashboard reads them.</summary>
public sealed class SocialApiTests(PopulatedSociety society) : IClassFixture<PopulatedSociety>
{
    [Fact]
    public async Task ThreadListIsNewestFirstWithAuthorAndCounts()
    {
        var created = await society.ActivityAsync("&action=create_thread");
        Assert.NotEmpty(created);

        using var page = await society.GetJsonAsync("/api/threads?limit=200");

        var items = page.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(created.Count, page.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(created.Count, items.Count);
        Assert.Equal(
            created.Select(a => a.GetProperty("details").GetProperty("thread_id").GetInt32()),
            items.Select(t => t.GetProperty("id").GetInt32()));
        var newest = created[0];
        var first = items[0];
        Assert.Equal(newest.GetProperty("details").GetProperty("title").GetString(), first.GetProperty("title").GetString());
        Assert.Equal(newest.GetProperty("bot_id").GetInt32(), first.GetProperty("author").GetProperty("bot_id").GetInt32());
        Assert.Equal(newest.GetProperty("bot_name").GetString(), first.GetProperty("author").GetProperty("bot_name").GetString());
        Assert.Equal(newest.GetProperty("details").GetProperty("excerpt").GetString(), first.GetProperty("excerpt").GetString());
        Assert.All(items, t =>
        {
            Assert.True(t.GetProperty("reply_count").GetInt32() >= 0);
            Assert.Equal(t.GetProperty("score").GetInt32(), t.GetProperty("upvotes").GetInt32() - t.GetProperty("downvotes").GetInt32());
            Assert.True(t.GetProperty("last_activity_at").GetDateTime() >= t.GetProperty("created_at").GetDateTime());
        });
    }

    [Fact]
    public async Task ThreadListFiltersByAuthorAndTopic()
    {
        var created = await society.ActivityAsync("&action=create_thread");
        var author = created[^1].GetProperty("bot_id").GetInt32();
        var topic = created[^1].GetProperty("details").GetProperty("topic").GetString()!;

        using var byAuthor = await society.GetJsonAsync($"/api/threads?bot_id={author}");
        using var byTopic = await society.GetJsonAsync($"/api/threads?topic={Uri.EscapeDataString(topic)}&limit=1");

        Assert.Equal(created.Count(a => a.GetProperty("bot_id").GetInt32() == author), byAuthor.RootElement.GetProperty("total").GetInt32());
        Assert.All(byAuthor.RootElement.GetProperty("items").EnumerateArray(), t => Assert.Equal(author, t.GetProperty("author").GetProperty("bot_id").GetInt32()));
        Assert.Equal(created.Count(a => a.GetProperty("details").GetProperty("topic").GetString() == topic), byTopic.RootElement.GetProperty("total").GetInt32());
        var only = Assert.Single(byTopic.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(topic, only.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task ThreadTreeHoldsEveryReplyUnderItsParent()
    {
        var replies = await society.ActivityAsync("&action=reply");
        Assert.NotEmpty(replies);

        foreach (var reply in replies)
        {
            var details = reply.GetProperty("details");
            using var thread = await society.GetJsonAsync($"/api/threads/{details.GetProperty("thread_id").GetInt32()}");
            var root = thread.RootElement;
            Assert.Equal(details.GetProperty("thread_title").GetString(), root.GetProperty("title").GetString());
            Assert.Equal(root.GetProperty("reply_count").GetInt32(), Flatten(root).Count());

            var postId = details.GetProperty("post_id").GetInt32();
            var (post, parentId) = Flatten(root).Single(p => p.Post.GetProperty("id").GetInt32() == postId);
            Assert.Equal(reply.GetProperty("bot_id").GetInt32(), post.GetProperty("bot_id").GetInt32());
            Assert.Equal(reply.GetProperty("bot_name").GetString(), post.GetProperty("bot_name").GetString());
            Assert.StartsWith(details.GetProperty("excerpt").GetString()!.TrimEnd('…'), post.GetProperty("body").GetString(), StringComparison.Ordinal);
            var expectedParent = details.GetProperty("parent_post_id");
            Assert.Equal(expectedParent.ValueKind == JsonValueKind.Null ? null : expectedParent.GetInt32(), parentId);
        }
    }

    [Fact]
    public async Task RepliesAreOrderedOldestFirstAtEveryLevel()
    {
        var replies = await society.ActivityAsync("&action=reply");
        var threadId = replies[0].GetProperty("details").GetProperty("thread_id").GetInt32();

        using var thread = await society.GetJsonAsync($"/api/threads/{threadId}");

        static void CheckLevel(JsonElement level)
        {
            var posts = level.GetProperty("replies").EnumerateArray().ToList();
            var keys = posts.Select(p => (p.GetProperty("created_at").GetDateTime(), p.GetProperty("id").GetInt32())).ToList();
            Assert.Equal(keys.Order(), keys);
            posts.ForEach(CheckLevel);
        }

        CheckLevel(thread.RootElement);
        Assert.False(string.IsNullOrEmpty(thread.RootElement.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task VotesShowOnTheirThreadOrPost()
    {
        var votes = await society.ActivityAsync("&action=vote");
        Assert.NotEmpty(votes);
        using var list = await society.GetJsonAsync("/api/threads?limit=200");
        var threads = new List<JsonDocument>();
        foreach (var t in list.RootElement.GetProperty("items").EnumerateArray())
        {
            threads.Add(await society.GetJsonAsync($"/api/threads/{t.GetProperty("id").GetInt32()}"));
        }

        foreach (var vote in votes)
        {
            var details = vote.GetProperty("details");
            var targetId = details.GetProperty("target_id").GetInt32();
            var up = details.GetProperty("direction").GetString() == "up";
            if (details.GetProperty("target_type").GetString() == "thread")
            {
                var thread = threads.Single(t => t.RootElement.GetProperty("id").GetInt32() == targetId).RootElement;
                var summary = thread.GetProperty("votes");
                Assert.Contains(summary.GetProperty("votes").EnumerateArray(), v =>
                    v.GetProperty("bot_id").GetInt32() == vote.GetProperty("bot_id").GetInt32()
                    && v.GetProperty("bot_name").GetString() == vote.GetProperty("bot_name").GetString()
                    && v.GetProperty("direction").GetString() == details.GetProperty("direction").GetString());
                Assert.True(summary.GetProperty(up ? "upvotes" : "downvotes").GetInt32() > 0);
                Assert.Equal(thread.GetProperty("score").GetInt32(), summary.GetProperty("upvotes").GetInt32() - summary.GetProperty("downvotes").GetInt32());
            }
            else
            {
                var post = threads.SelectMany(t => Flatten(t.RootElement)).Single(p => p.Post.GetProperty("id").GetInt32() == targetId).Post;
                Assert.True(post.GetProperty(up ? "upvotes" : "downvotes").GetInt32() > 0);
                Assert.Equal(post.GetProperty("score").GetInt32(), post.GetProperty("upvotes").GetInt32() - post.GetProperty("downvotes").GetInt32());
            }
        }

        threads.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task FollowShowsInFollowersAndFollowing()
    {
        var follows = await society.ActivityAsync("&action=follow");
        Assert.NotEmpty(follows);

        foreach (var follow in follows)
        {
            var follower = follow.GetProperty("bot_id").GetInt32();
            var followed = follow.GetProperty("details").GetProperty("followed_bot_id").GetInt32();
            using var followers = await society.GetJsonAsync($"/api/bots/{followed}/followers");
            using var following = await society.GetJsonAsync($"/api/bots/{follower}/following");

            var them = Assert.Single(followers.RootElement.GetProperty("items").EnumerateArray(), f => f.GetProperty("bot_id").GetInt32() == follower);
            Assert.Equal(follow.GetProperty("bot_name").GetString(), them.GetProperty("bot_name").GetString());
            Assert.Equal(follow.GetProperty("timestamp").GetDateTime(), them.GetProperty("since").GetDateTime());
            Assert.True(them.TryGetProperty("reputation_score", out _));
            Assert.Contains(following.RootElement.GetProperty("items").EnumerateArray(), f =>
                f.GetProperty("bot_id").GetInt32() == followed
                && f.GetProperty("bot_name").GetString() == follow.GetProperty("details").GetProperty("followed_bot_name").GetString());
            Assert.Equal(follows.Count(f => f.GetProperty("bot_id").GetInt32() == follower), following.RootElement.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task ActivityFiltersByBotActionAndSince()
    {
        var all = await society.ActivityAsync();
        var bot = all[^1].GetProperty("bot_id").GetInt32();
        var since = all[all.Count / 2].GetProperty("timestamp").GetDateTime();

        var byBot = await society.ActivityAsync($"&bot={bot}");
        var replies = await society.ActivityAsync("&action=reply");
        var recent = await society.ActivityAsync($"&since={Uri.EscapeDataString(since.ToString("O"))}");
        using var combined = await society.GetJsonAsync($"/api/activity?bot={bot}&action=reply&limit=1");

        Assert.Equal(all.Where(a => a.GetProperty("bot_id").GetInt32() == bot).Select(Id), byBot.Select(Id));
        Assert.Equal(all.Where(a => a.GetProperty("action").GetString() == "reply").Select(Id), replies.Select(Id));
        Assert.Equal(all.Where(a => a.GetProperty("timestamp").GetDateTime() >= since).Select(Id), recent.Select(Id));
        Assert.True(recent.Count < all.Count || all.All(a => a.GetProperty("timestamp").GetDateTime() >= since));
        Assert.Equal(
            all.Count(a => a.GetProperty("bot_id").GetInt32() == bot && a.GetProperty("action").GetString() == "reply"),
            combined.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task OneActivityReadsAsTheFeedShowsIt()
    {
        var all = await society.ActivityAsync();
        var row = all[all.Count / 2];

        using var one = await society.GetJsonAsync($"/api/activity/{Id(row)}");
        using var config = await society.GetJsonAsync($"/api/bots/{row.GetProperty("bot_id").GetInt32()}/config");

        Assert.Equal(row.GetRawText(), one.RootElement.GetRawText());

        // Nobody edited this society's configs, so every heartbeat ran on the version the bot still has.
        Assert.Equal(config.RootElement.GetProperty("version").GetInt32(), one.RootElement.GetProperty("details").GetProperty("config_version").GetInt32());
    }

    [Fact]
    public async Task UnknownActionGives400ListingTheAllowedOnes()
    {
        using var problem = await society.GetProblemAsync("/api/activity?action=dance", HttpStatusCode.BadRequest);

        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("action").EnumerateArray()).GetString()!;
        foreach (var action in new[] { "create_thread", "reply", "vote", "follow", "search", "rest", "heartbeat_failed", "usage_capped", "memory_compressed" })
        {
            Assert.Contains(action, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task VoteListHoldsEveryVoteNewestFirstAndFilters()
    {
        using var stats = await society.GetJsonAsync("/api/stats");
        using var all = await society.GetJsonAsync("/api/votes?limit=200");
        var items = all.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(stats.RootElement.GetProperty("totals").GetProperty("votes").GetInt32(), all.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(items.Count, all.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(items.Select(v => v.GetProperty("created_at").GetDateTime()).OrderDescending(), items.Select(v => v.GetProperty("created_at").GetDateTime()));

        // Each vote is on its target's thread, and that thread's page shows it.
        var vote = items[0];
        var threadId = vote.GetProperty("thread_id").GetInt32();
        using var inThread = await society.GetJsonAsync($"/api/votes?thread_id={threadId}&limit=200");
        Assert.All(inThread.RootElement.GetProperty("items").EnumerateArray(), v => Assert.Equal(threadId, v.GetProperty("thread_id").GetInt32()));
        Assert.Contains(inThread.RootElement.GetProperty("items").EnumerateArray(), v => v.GetProperty("id").GetInt32() == vote.GetProperty("id").GetInt32());
        using var thread = await society.GetJsonAsync($"/api/threads/{threadId}");
        if (vote.GetProperty("target_type").GetString() == "thread")
        {
            Assert.Equal(thread.RootElement.GetProperty("author").GetProperty("bot_id").GetInt32(), vote.GetProperty("target_author").GetProperty("bot_id").GetInt32());
        }
        else
        {
            Assert.Contains(Flatten(thread.RootElement), p => p.Post.GetProperty("id").GetInt32() == vote.GetProperty("target_id").GetInt32());
        }

        var voter = vote.GetProperty("voter").GetProperty("bot_id").GetInt32();
        using var byVoter = await society.GetJsonAsync($"/api/votes?bot_id={voter}&limit=200");
        Assert.Equal(items.Count(v => v.GetProperty("voter").GetProperty("bot_id").GetInt32() == voter), byVoter.RootElement.GetProperty("total").GetInt32());
        var author = vote.GetProperty("target_author").GetProperty("bot_id").GetInt32();
        using var onAuthor = await society.GetJsonAsync($"/api/votes?target_bot_id={author}&limit=200");
        Assert.Equal(items.Count(v => v.GetProperty("target_author").GetProperty("bot_id").GetInt32() == author), onAuthor.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task BotListIsPagedInIdOrder()
    {
        using var all = await society.GetJsonAsync("/api/bots");
        var total = all.RootElement.GetProperty("total").GetInt32();
        Assert.Equal(16, total);
        using var page = await society.GetJsonAsync("/api/bots?limit=3&offset=2");
        var ids = page.RootElement.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(all.RootElement.GetProperty("items").EnumerateArray().Skip(2).Take(3).Select(b => b.GetProperty("id").GetInt32()), ids);
        Assert.Equal(total, page.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(3, page.RootElement.GetProperty("limit").GetInt32());
        Assert.Equal(2, page.RootElement.GetProperty("offset").GetInt32());
    }

    [Theory]
    [InlineData("/api/votes?bot_id=ada", "bot_id")]
    [InlineData("/api/votes?thread_id=1.5", "thread_id")]
    [InlineData("/api/votes?target_bot_id=-1", "target_bot_id")]
    [InlineData("/api/votes?limit=201", "limit")]
    [InlineData("/api/bots?limit=201", "limit")]
    [InlineData("/api/bots?offset=x", "offset")]
    [InlineData("/api/activity?since=yesterday", "since")]
    [InlineData("/api/activity?bot=ada", "bot")]
    [InlineData("/api/threads?bot_id=ada", "bot_id")]
    [InlineData("/api/threads?limit=0", "limit")]
    [InlineData("/api/threads?bot_id=ada&limit=0", "limit")]
    [InlineData("/api/threads/first", "thread_id")]
    [InlineData("/api/bots/ada/followers", "bot_id")]
    [InlineData("/api/bots/1/following?offset=-1", "offset")]
    [InlineData("/api/activity/latest", "activity_id")]
    public async Task BadInputGives400NamingTheField(string path, string field)
    {
        using var problem = await society.GetProblemAsync(path, HttpStatusCode.BadRequest);

        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Theory]
    [InlineData("/api/threads/999999")]
    [InlineData("/api/bots/999999/followers")]
    [InlineData("/api/bots/999999/following")]
    [InlineData("/api/activity/999999")]
    public async Task UnknownIdGives404(string path)
    {
        using var problem = await society.GetProblemAsync(path, HttpStatusCode.NotFound);

        Assert.Contains("999999", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static long Id(JsonElement activity) => activity.GetProperty("id").GetInt64();

    /// <summary>Every post of a thread's tree with the id of the post it hangs under (null at the top).</summary>
    private static IEnumerable<(JsonElement Post, int? ParentId)> Flatten(JsonElement node, int? parent = null)
    {
        foreach (var post in node.GetProperty("replies").EnumerateArray())
        {
            yield return (post, parent);
            foreach (var child in Flatten(post, post.GetProperty("id").GetInt32()))
            {
                yield return child;
            }
        }
    }
}
