using BotSociety.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Tests;

/// <summary>Passing faults of the database are told from defects, however EF Core wraps them.</summary>
public sealed class StorageFaultTests
{
    [Theory]
    [InlineData(5, StorageFaults.Locked)]
    [InlineData(6, StorageFaults.Locked)]
    [InlineData(13, StorageFaults.DiskFull)]
    [InlineData(10, StorageFaults.DiskError)]
    [InlineData(8, StorageFaults.ReadOnly)]
    [InlineData(14, StorageFaults.Unreachable)]
    public void SqlitesPassingFaultsAreNamedEvenWhenWrapped(int code, string kind)
    {
        var error = new SqliteException($"SQLite Error {code}", code);

        Assert.Equal(kind, StorageFaults.Classify(error)?.Kind);
        Assert.Equal(kind, StorageFaults.Classify(new DbUpdateException("saving failed", error))?.Kind);
        Assert.Equal(kind, StorageFaults.Classify(new AggregateException(new InvalidOperationException("outer", error)))?.Kind);
        Assert.True(StorageFaults.Classify(error)!.RetryAfterSeconds >= 1);
    }

    [Fact]
    public void ADefectIsNotAPassingFault()
    {
        Assert.Null(StorageFaults.Classify(new SqliteException("SQLite Error 19: UNIQUE constraint failed", 19)));
        Assert.Null(StorageFaults.Classify(new InvalidOperationException("a bug")));
        Assert.Null(StorageFaults.Classify(new FormatException("a bad value")));
    }
}
