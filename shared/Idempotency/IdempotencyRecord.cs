namespace BotSociety.Core.Idempotency;

/// <summary>
/// A write made with an <c>Idempotency-Key</c> (IETF draft-ietf-httpapi-idempotency-key-header): the key, a
/// fingerprint of the request it came with, and once the write has answered, that answer, kept to be given again to a
/// repeat of the request until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the method, the path with its query, and the body: a key reused for another request is refused.</summary>
    public required string Fingerprint { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>While no answer is stored: until when the request that took the key is taken to be still running.</summary>
    public DateTime LockedUntil { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>The stored answer; null while the request is running.</summary>
    public int? Status { get; set; }

    public string? ContentType { get; set; }

    public string? ETag { get; set; }

    public byte[]? Body { get; set; }
}
