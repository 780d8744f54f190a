using System.Diagnostics;
using System.Globalization;
using BotSociety.Core.Export;
using Microsoft.Data.Sqlite;

namespace BotSociety.Bench;

/// <summary>
/// The export of a large activity log (issue 20): fills a new society's log with N rows the size of real ones, then
/// streams <c>activity.jsonl</c> and <c>activity.csv</c> through the same code the endpoint runs (<see cref="SocietyExport"/>)
/// into a stream that only counts, and prints rows/s, MB/s and the process's peak working set while it ran: constant
/// memory means the peak does not grow with the rows.
/// </summary>
internal static class ExportBenchmark
{
    // The size of a real row (fast-forward: details average ~430 characters).
    private static readonly string Details = "{\"thread_id\":1,\"thread_title\":\"" + new string('t', 60) + "\",\"topic\":\"science\",\"excerpt\":\"a \\\"quoted\\\", comma'd "
        + new string('e', 120) + "\",\"model\":\"offline-simulator\",\"model_provider\":\"offline\",\"simulated\":true,\"reputation_score\":12.5,"
        + "\"instance\":\"bench\",\"budget\":{\"prompt\":1450,\"cap\":100000}}";

    public static async Task<int> RunAsync(Options options)
    {
        var rows = (long)options.Number("rows", 1_000_000, 1, 100_000_000);
        var folder = Directory.CreateTempSubdirectory("botsociety-export-").FullName;
        var database = BenchDatabase.Sqlite(Path.Combine(folder, "export.db"));
        try
        {
            var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
            await using var society = await SocietyRunner.StartAsync(database, 42, "normal", start);
            await society.GrowToAsync(200, 42);
            var fill = Stopwatch.StartNew();
            Fill(database.Path!, rows, start.UtcDateTime);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Filled {rows:N0} activity rows in {fill.Elapsed.TotalSeconds:0.0} s ({new FileInfo(database.Path!).Length / 1e6:0} MB database)"));

            var export = society.Service<SocietyExport>();
            foreach (var format in ExportTables.Formats)
            {
                await MeasureAsync(export, format, rows);
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task MeasureAsync(SocietyExport export, string format, long expected)
    {
        GC.Collect();
        var before = Memory.Read();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        // Sampled, because the process's own peak also holds what the fill used.
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                peak = Memory.Max(peak, Memory.Read());
            }
        });

        var sink = new CountingStream();
        var wall = Stopwatch.StartNew();
        var written = await export.WriteAsync(ExportTables.Find("activity")!, format, new ExportFilter(), sink, CancellationToken.None);
        wall.Stop();
        await sampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // The sampler's normal end.
        }

        if (written != expected)
        {
            throw new InvalidOperationException($"The export wrote {written} rows of {expected}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"activity.{format}: {written:N0} rows in {wall.Elapsed.TotalSeconds:0.0} s = {written / wall.Elapsed.TotalSeconds:N0} rows/s, "
            + $"{sink.Bytes / 1e6 / wall.Elapsed.TotalSeconds:0} MB/s ({sink.Bytes / 1e6:0} MB); peak working set {peak.WorkingSet / 1e6:0} MB "
            + $"({before.WorkingSet / 1e6:0} MB before), of which the process's own memory {peak.Anonymous / 1e6:0} MB ({before.Anonymous / 1e6:0} MB before) "
            + $"and file-backed pages (the runtime's libraries, the database file SQLite maps up to mmap_size 256 MB) {peak.FileMapped / 1e6:0} MB"));
    }

    private static void Fill(string path, long rows, DateTime start)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var bots = new List<int>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id FROM bots ORDER BY id";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                bots.Add(reader.GetInt32(0));
            }
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO activity_log (event_id, bot_id, action, details, input_tokens, output_tokens, cost_usd, model, created_at) "
            + "VALUES (@event, @bot, 'reply', @details, 1450, 120, 0.00042, 'offline-simulator', @at)";
        var eventId = insert.Parameters.Add("@event", SqliteType.Text);
        var bot = insert.Parameters.Add("@bot", SqliteType.Integer);
        insert.Parameters.AddWithValue("@details", Details);
        var at = insert.Parameters.Add("@at", SqliteType.Text);
        insert.Prepare();
        for (long n = 0; n < rows; n++)
        {
            var moment = start.AddMilliseconds(n * 250);
            eventId.Value = Guid.CreateVersion7(new DateTimeOffset(moment, TimeSpan.Zero)).ToString();
            bot.Value = bots[(int)(n % bots.Count)];
            at.Value = moment;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>
    /// The working set split as Linux counts it (/proc/self/status): anonymous pages are the process's own (heap, stacks,
    /// buffers), file pages are the database SQLite maps, which the kernel shares and reclaims, bounded by mmap_size.
    /// </summary>
    private readonly record struct Memory(long WorkingSet, long Anonymous, long FileMapped)
    {
        public static Memory Read()
        {
            long Field(string[] lines, string name) =>
                lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
                    ? long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024
                    : 0;

            var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
            using var process = Process.GetCurrentProcess();
            return new Memory(process.WorkingSet64, Field(status, "RssAnon:"), Field(status, "RssFile:"));
        }

        public static Memory Max(Memory a, Memory b) =>
            new(Math.Max(a.WorkingSet, b.WorkingSet), Math.Max(a.Anonymous, b.Anonymous), Math.Max(a.FileMapped, b.FileMapped));
    }

    /// <summary>Stands in for the client: counts what it is given and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        public long Bytes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Bytes += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
