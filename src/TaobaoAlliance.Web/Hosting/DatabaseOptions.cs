using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>What the app does with its database at start-up (both on in Development).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public bool MigrateOnStart { get; set; }
    public bool SeedOnStart { get; set; }

    /// <summary>Folder of the demo data files; relative paths are resolved against the content root's repository.</summary>
    [Required] public string SeedPath { get; set; } = "../../seeds";
}
