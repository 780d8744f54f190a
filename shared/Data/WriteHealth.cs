using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BotSociety.Core.Data;

/// <summary>
/// Whether the database takes writes: the last passing fault a write met (<see cref="StorageFaults"/>), until a
/// write succeeds again. Reads keep working on a full disk, so a check that only reads said "healthy" while every
/// write failed.
/// </summary>
public sealed class WriteHealth(TimeProvider time)
{
    private readonly Lock gate = new();
    private (StorageFault Fault, DateTimeOffset Since)? failing;

    /// <summary>The fault writes are meeting, since when; null while they succeed.</summary>
    public (StorageFault Fault, DateTimeOffset Since)? Failing
    {
        get
        {
            lock (gate)
            {
                return failing;
            }
        }
    }

    public void Failed(StorageFault fault)
    {
        lock (gate)
        {
            // The first moment of a fault is kept while the same fault goes on.
            failing = failing is { } current && current.Fault.Kind == fault.Kind ? current : (fault, time.GetUtcNow());
        }
    }

    public void Succeeded()
    {
        lock (gate)
        {
            failing = null;
        }
    }
}

/// <summary>
/// Feeds <see cref="WriteHealth"/> from every command and commit of the society's contexts: a commit, a saved change
/// (EF Core saves a single statement without a transaction of its own) or a write outside a transaction that succeeds
/// clears the fault; a command or commit that fails with a passing fault sets it.
/// </summary>
internal sealed class WriteHealthInterceptor(WriteHealth health) : DbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        health.Succeeded();
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        health.Succeeded();
        return ValueTask.FromResult(result);
    }

    // A save can fail before any command runs: with two statements EF Core opens a transaction first, and a locked
    // SQLite file refuses that BEGIN, which no command interceptor sees.
    public void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Exception);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Failed(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        SucceededOutsideTransaction(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SucceededOutsideTransaction(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => health.Succeeded();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        health.Succeeded();
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Failed(eventData.Exception);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Failed(Exception exception)
    {
        if (StorageFaults.Classify(exception) is { } fault)
        {
            health.Failed(fault);
        }
    }

    private void SucceededOutsideTransaction(DbCommand command)
    {
        if (command.Transaction is null)
        {
            health.Succeeded();
        }
    }
}
