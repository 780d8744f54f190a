using BotSociety.Core.Data;
using BotSociety.Core.Data.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BotSociety.Migrations.Postgres;

/// <summary>
/// Lets <c>dotnet ef</c> build the context for PostgreSQL without a host or a server (adding a migration needs no
/// connection): <c>dotnet ef migrations add &lt;Name&gt; --project migrations-postgres --startup-project migrations-postgres</c>.
/// </summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<BotSocietyDb>
{
    public BotSocietyDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BotSocietyDb>()
            .UseNpgsql("Host=localhost;Database=botsociety_design", npgsql => npgsql.MigrationsAssembly(PostgresDialect.MigrationsAssembly))
            .Options);
}
