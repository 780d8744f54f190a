using BotSociety.Core.Data;
using BotSociety.Core.Llm;
using BotSociety.Core.Memory;
using BotSociety.Core.Simulation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace BotSociety.Core.Tests;

/// <summary>
/// One fresh society per test: the real composition (<see cref="BotSocietyCoreExtensions.AddBotSocietyCore"/>),
/// a real database migrated at start (a SQLite file in a temporary folder, or a PostgreSQL database of its own when
/// <see cref="TestDatabase.ServerVariable"/> is set), and a fake clock.
/// </summary>
internal sealed class TestSociety : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly IHost host;

    private readonly bool ownsFolder;

    private TestSociety(IHost host, string folder, FakeTimeProvider clock, bool ownsFolder)
    {
        this.host = host;
        this.ownsFolder = ownsFolder;
        Folder = folder;
        Clock = clock;
    }

    public string Folder { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => host.Services;
    public HeartbeatEngine Engine => Services.GetRequiredService<HeartbeatEngine>();
    public MemoryCompressor Compressor => Services.GetRequiredService<MemoryCompressor>();
    public string DatabasePath => Path.Combine(Folder, "society.db");

    public static async Task<TestSociety> StartAsync(
        Action<IServiceCollection>? services = null,
        IDictionary<string, string?>? settings = null,
        string? folder = null,
        FakeTimeProvider? clock = null,
        bool onSqlite = false)
    {
        var ownsFolder = folder is null;
        folder ??= Directory.CreateTempSubdirectory("botsociety-test-").FullName;
        clock ??= new FakeTimeProvider(Start);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        // onSqlite: a SQLite file even in the suite's PostgreSQL run, for a test that compares the two.
        var database = onSqlite ? new Dictionary<string, string?> { ["Database:Path"] = Path.Combine(folder, "society.db") } : await TestDatabase.SettingsAsync(folder);
        database["Society:Seed"] = "7";
        builder.Configuration.AddInMemoryCollection(database);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddBotSocietyCore();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSociety(host, folder, clock, ownsFolder);
    }

    /// <summary>Replaces every model with <paramref name="answer"/>, a hand-written callback client.</summary>
    public static Action<IServiceCollection> WithModel(Func<CallbackChatClient.Call, string> answer) =>
        services => services.Replace(ServiceDescriptor.Singleton<IChatClientProvider>(new CallbackModelProvider(new CallbackChatClient(answer))));

    public BotSocietyDb Db() => Services.GetRequiredService<IDbContextFactory<BotSocietyDb>>().CreateDbContext();

    /// <summary>Advances the clock far enough for every bot to be due, then runs one tick.</summary>
    public async Task<TickReport> TickAsync(TimeSpan? advance = null)
    {
        Clock.Advance(advance ?? TimeSpan.FromMinutes(10));
        return await Engine.RunTickAsync(CancellationToken.None);
    }

    /// <summary>Makes only the named bots due, so a test controls who acts.</summary>
    public async Task OnlyDueAsync(params string[] names)
    {
        await using var db = Db();
        var far = Clock.GetUtcNow().UtcDateTime.AddYears(1);
        await db.Bots.Where(b => !names.Contains(b.Name)).ExecuteUpdateAsync(s => s.SetProperty(b => b.NextHeartbeatAt, far));
        await db.Bots.Where(b => names.Contains(b.Name)).ExecuteUpdateAsync(s => s.SetProperty(b => b.NextHeartbeatAt, Clock.GetUtcNow().UtcDateTime));
    }

    public async Task<int> BotIdAsync(string name)
    {
        await using var db = Db();
        return await db.Bots.Where(b => b.Name == name).Select(b => b.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!ownsFolder)
        {
            return;
        }

        await TestDatabase.DropAsync(Folder);

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder harms nobody.
        }
    }
}
