using System.Security.Cryptography;
using System.Text;
using BotSociety.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Idempotency;

/// <summary>What a write made with an <c>Idempotency-Key</c> may do, decided by <see cref="IdempotencyKeys.ClaimAsync"/>.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>The key is this request's: run it, then store its answer (or release the key if it failed).</summary>
    public sealed record Acquired : IdempotencyClaim;

    /// <summary>The same request was answered before: give that answer again, without acting.</summary>
    public sealed record Replay(int Status, string? ContentType, string? ETag, byte[] Body) : IdempotencyClaim;

    /// <summary>The same request is still running elsewhere: 409, try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record InProgress(TimeSpan RetryAfter) : IdempotencyClaim;

    /// <summary>The key was used for a different request: 422.</summary>
    public sealed record Mismatch : IdempotencyClaim;
}

/// <summary>
/// The <c>Idempotency-Key</c> semantics of the IETF draft for every POST and PUT: the first request with a key takes
/// it (an insert the database lets only one request win), acts, and its answer is stored for
/// <see cref="Retention"/>; a repeat with the same key and the same request gets that answer again without acting; the
/// same key with another request is refused; a repeat while the first still runs is told to wait. A request whose
/// process died before its answer was stored holds the key for <see cref="Lease"/> only; a repeat after that runs again
/// (every write here sets a state, so running it twice leaves what running it once did).
/// </summary>
public sealed class IdempotencyKeys(IDbContextFactory<BotSocietyDb> dbFactory, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>How long an answer is kept for repeats: the draft's example, and what clients that retry for a day need.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long a request that has not answered yet holds its key: longer than any write takes.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The key from the header's value: the draft sends it as a structured-field string (<c>"…"</c>); a bare value is
    /// taken as it is. Null with a message when it is empty, too long or not printable ASCII.
    /// </summary>
    public static (string? Key, string? Error) ParseKey(string value)
    {
        var key = value.Trim();
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"')
        {
            key = key[1..^1];
        }

        if (key.Length == 0)
        {
            return (null, "must not be empty");
        }

        if (key.Length > MaxKeyLength)
        {
            return (null, $"is {key.Length} characters; at most {MaxKeyLength} are accepted");
        }

        return key.All(c => c is >= ' ' and <= '~') ? (key, null) : (null, "must be printable ASCII");
    }

    /// <summary>What identifies a request for its key: method, path with query, and body.</summary>
    public static string Fingerprint(string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()} {pathAndQuery}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.IdempotencyKeys.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        while (true)
        {
            var lockedUntil = now + Lease;
            var expiresAt = now + Retention;
            var taken = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO idempotency_keys (idempotency_key, fingerprint, created_at, locked_until, expires_at) VALUES ({key}, {fingerprint}, {now}, {lockedUntil}, {expiresAt}) ON CONFLICT (idempotency_key) DO NOTHING",
                cancellationToken);
            if (taken == 1)
            {
                return new IdempotencyClaim.Acquired();
            }

            var held = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);
            if (held is null)
            {
                continue; // Released between the insert and the read: take it again.
            }

            if (held.Fingerprint != fingerprint)
            {
                return new IdempotencyClaim.Mismatch();
            }

            if (held.Status is { } status)
            {
                return new IdempotencyClaim.Replay(status, held.ContentType, held.ETag, held.Body ?? []);
            }

            if (held.LockedUntil > now)
            {
                return new IdempotencyClaim.InProgress(held.LockedUntil - now);
            }

            // The request that took the key died before it answered: this one takes it over, unless another just did.
            var takenOver = await db.IdempotencyKeys
                .Where(r => r.IdempotencyKey == key && r.Status == null && r.LockedUntil == held.LockedUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, lockedUntil), cancellationToken);
            if (takenOver == 1)
            {
                return new IdempotencyClaim.Acquired();
            }
        }
    }

    /// <summary>Stores the answer of the request that took the key.</summary>
    public async Task CompleteAsync(string key, int status, string? contentType, string? eTag, byte[] body, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys.Where(r => r.IdempotencyKey == key && r.Status == null).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, status).SetProperty(r => r.ContentType, contentType).SetProperty(r => r.ETag, eTag).SetProperty(r => r.Body, body),
            cancellationToken);
    }

    /// <summary>Gives the key back unanswered (the request failed): a repeat runs again.</summary>
    public async Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys.Where(r => r.IdempotencyKey == key && r.Status == null).ExecuteDeleteAsync(cancellationToken);
    }
}
