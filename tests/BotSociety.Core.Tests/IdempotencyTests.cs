using BotSociety.Core.Idempotency;
using Microsoft.Extensions.DependencyInjection;

namespace BotSociety.Core.Tests;

/// <summary>The rules of an Idempotency-Key on the society's database, with its clock in the test's hands.</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task AKeyIsTakenOnceAnsweredFromStoreThenFreeAfterADay()
    {
        await using var society = await TestSociety.StartAsync();
        var keys = society.Services.GetRequiredService<IdempotencyKeys>();
        var fingerprint = IdempotencyKeys.Fingerprint("POST", "/api/bots/1/pause", []);

        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("k1", fingerprint, CancellationToken.None));
        var running = Assert.IsType<IdempotencyClaim.InProgress>(await keys.ClaimAsync("k1", fingerprint, CancellationToken.None));
        Assert.Equal(IdempotencyKeys.Lease, running.RetryAfter);
        Assert.IsType<IdempotencyClaim.Mismatch>(await keys.ClaimAsync("k1", IdempotencyKeys.Fingerprint("POST", "/api/bots/2/pause", []), CancellationToken.None));

        await keys.CompleteAsync("k1", 200, "application/json", "\"3\"", "{\"status\":\"paused\"}"u8.ToArray(), CancellationToken.None);
        society.Clock.Advance(IdempotencyKeys.Retention - TimeSpan.FromMinutes(1));
        var replay = Assert.IsType<IdempotencyClaim.Replay>(await keys.ClaimAsync("k1", fingerprint, CancellationToken.None));
        Assert.Equal((200, "application/json", "\"3\"", "{\"status\":\"paused\"}"), (replay.Status, replay.ContentType, replay.ETag, System.Text.Encoding.UTF8.GetString(replay.Body)));

        // After the retention the key is forgotten: the same request acts again.
        society.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("k1", fingerprint, CancellationToken.None));
    }

    [Fact]
    public async Task AKeyWhoseRequestDiedIsTakenOverAfterItsLeaseAndAFailedOneIsFreeAtOnce()
    {
        await using var society = await TestSociety.StartAsync();
        var keys = society.Services.GetRequiredService<IdempotencyKeys>();
        var fingerprint = IdempotencyKeys.Fingerprint("PUT", "/api/pace", "{\"pace\":\"fast\"}"u8);

        // Taken by a request whose process was then killed: nothing answers it, so the key waits out the lease.
        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("died", fingerprint, CancellationToken.None));
        society.Clock.Advance(IdempotencyKeys.Lease - TimeSpan.FromSeconds(1));
        Assert.IsType<IdempotencyClaim.InProgress>(await keys.ClaimAsync("died", fingerprint, CancellationToken.None));
        society.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("died", fingerprint, CancellationToken.None));
        Assert.IsType<IdempotencyClaim.InProgress>(await keys.ClaimAsync("died", fingerprint, CancellationToken.None));

        // A request that failed gives its key back: its repeat runs at once.
        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("failed", fingerprint, CancellationToken.None));
        await keys.ReleaseAsync("failed", CancellationToken.None);
        Assert.IsType<IdempotencyClaim.Acquired>(await keys.ClaimAsync("failed", fingerprint, CancellationToken.None));
    }

    [Theory]
    [InlineData("abc", "abc", null)]
    [InlineData("\"abc def\"", "abc def", null)]
    [InlineData("  ", null, "must not be empty")]
    [InlineData("caf\u00e9", null, "must be printable ASCII")]
    public void KeysAreStructuredStringsOrBareValues(string header, string? key, string? error)
    {
        Assert.Equal((key, error), IdempotencyKeys.ParseKey(header));
    }
}
