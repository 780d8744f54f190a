using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace BotSociety.Core.Data;

/// <summary>
/// Where the society's data lives: one SQLite file (the default, one machine) or a PostgreSQL database (several
/// instances of the app sharing one society).
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The assembly of the PostgreSQL migration set (project <c>migrations-postgres/</c>), loaded by name.</summary>
    public const string PostgresMigrationsAssembly = "BotSociety.Migrations.Postgres";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Path of the SQLite file; its folder is created when missing. Read only with the sqlite provider.</summary>
    public string Path { get; set; } = "botsociety.db";

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). Read only with the postgres provider.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
        {
            yield return new ValidationResult($"Database:Provider must be '{Sqlite}' or '{Postgres}'; got '{Provider}'.", [nameof(Provider)]);
            yield break;
        }

        if (!IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(Path))
            {
                yield return new ValidationResult("Database:Path is required (the SQLite file of the society).", [nameof(Path)]);
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Database:ConnectionString is required with Database:Provider=postgres (an Npgsql connection string: Host=…;Database=…;Username=…;Password=…).",
                [nameof(ConnectionString)]);
            yield break;
        }

        string? error = null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                error = "it names no Host";
            }
        }
        catch (ArgumentException e)
        {
            // The driver's message names the keyword it could not read; the value (maybe a password) is never echoed.
            error = e.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult($"Database:ConnectionString is not a valid Npgsql connection string: {error}.", [nameof(ConnectionString)]);
        }
    }
}
