using System.ComponentModel.DataAnnotations;

namespace BotSociety.Core.Data;

/// <summary>Where the society's SQLite file lives.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Path of the SQLite file; its folder is created when missing.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Database:Path is required (the SQLite file of the society).")]
    public string Path { get; set; } = "botsociety.db";
}
