using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BotSociety.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without a host; only the migrations tooling uses it.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<BotSocietyDb>
{
    public BotSocietyDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BotSocietyDb>().UseSqlite("Data Source=design-time.db").Options);
}
