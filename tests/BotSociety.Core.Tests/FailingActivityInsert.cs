using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BotSociety.Core.Tests;

/// <summary>
/// Fails the first insert into <c>activity_log</c> that carries a real action: the last write of a
/// heartbeat, after the thread, memory and usage rows were already sent in the same transaction.
/// </summary>
internal sealed class FailingActivityInsert : DbCommandInterceptor
{
    public int Failures { get; private set; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (Failures == 0 && command.CommandText.Contains("INSERT INTO \"activity_log\"", StringComparison.Ordinal)
            && !command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, "heartbeat_failed")))
        {
            Failures++;
            throw new InvalidOperationException("Injected failure: the disk is full.");
        }

        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
