using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotSociety.Core.Data;

/// <summary>A fault of the database's storage that passes by itself or by an operator's hand, with what a client should wait.</summary>
public sealed record StorageFault(string Kind, string Cause, int RetryAfterSeconds);

/// <summary>
/// Tells the passing faults of the database (locked past the busy timeout, a full disk, an I/O error, a server out of
/// reach) from defects. A passing fault is the storage's, not the request's: the API answers it with 503 and
/// <c>Retry-After</c>, and <c>/api/health</c> reports it until a write succeeds again.
/// </summary>
public static class StorageFaults
{
    public const string Locked = "locked";
    public const string DiskFull = "disk_full";
    public const string DiskError = "disk_error";
    public const string ReadOnly = "read_only";
    public const string Unreachable = "unreachable";

    /// <summary>The fault <paramref name="exception"/> (or one it wraps: EF Core and execution strategies wrap them) stands for, or null.</summary>
    public static StorageFault? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (Of(e) is { } fault)
            {
                return fault;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Classify(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    private static StorageFault? Of(Exception e) => e switch
    {
        // SQLite's primary result codes: BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
        SqliteException { SqliteErrorCode: 5 or 6 } => new(Locked, "the database is locked by another writer", 2),
        SqliteException { SqliteErrorCode: 13 } => new(DiskFull, "the disk holding the database is full", 30),
        SqliteException { SqliteErrorCode: 10 } => new(DiskError, "the disk holding the database failed to read or write", 10),
        SqliteException { SqliteErrorCode: 8 } => new(ReadOnly, "the database file is read-only", 30),
        SqliteException { SqliteErrorCode: 14 } => new(Unreachable, "the database file cannot be opened", 10),
        // PostgreSQL's classes: 53 insufficient resources (53100 disk full), 40 rollbacks of contention, 55P03 lock
        // not available, 57P01-57P03 the server shutting down or starting, 08 connection failures.
        PostgresException { SqlState: "53100" } => new(DiskFull, "the database server's disk is full", 30),
        PostgresException { SqlState: var state } when state.StartsWith("53", StringComparison.Ordinal) => new(DiskError, "the database server is out of resources", 10),
        PostgresException { SqlState: "40001" or "40P01" or "55P03" } => new(Locked, "the database is busy with another writer", 2),
        PostgresException { SqlState: var state } when state.StartsWith("57P", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal) =>
            new(Unreachable, "the database server cannot be reached", 5),
        NpgsqlException { IsTransient: true } and not PostgresException => new(Unreachable, "the database server cannot be reached", 5),
        _ => null,
    };
}
