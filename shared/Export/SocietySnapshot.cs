using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;

namespace BotSociety.Core.Export;

/// <summary>
/// The whole society as one SQLite file (<c>GET /api/export/society.db</c>): a fork that
/// <c>BOTSOCIETY_DATA=&lt;folder&gt; ./run.sh</c> opens as a society of its own, to run "what if" from this moment.
/// The file is made in the temp folder and is gone once it is read or the request fails.
/// </summary>
public sealed class SocietySnapshot(IDbContextFactory<BotSocietyDb> dbFactory, SqlDialect dialect)
{
    /// <summary>The name a downloaded snapshot takes: the file name the app opens in its data folder.</summary>
    public const string FileName = "botsociety.db";

    /// <summary>Writes the snapshot and opens it for reading; the file is deleted when the stream is closed, and at once on failure.</summary>
    public async Task<FileStream> CreateAsync(CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"botsociety-snapshot-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                await dialect.WriteSnapshotAsync(db, path, ct);
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
