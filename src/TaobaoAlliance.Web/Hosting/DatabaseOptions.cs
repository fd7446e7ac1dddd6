using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Web.Hosting;

/// <summary>What the app does with its database at start-up (both on in Development).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public bool MigrateOnStart { get; set; }
    public bool SeedOnStart { get; set; }

    /// <summary>With the seeds, also generate the demo's past (<see cref="Seeding.DemoHistory"/>): on for ./build.sh run, off in tests unless asked.</summary>
    public bool SeedHistory { get; set; }

    /// <summary>How many China days of history, today included.</summary>
    [Range(1, 365)] public int HistoryDays { get; set; } = 90;

    /// <summary>Folder of the demo data files; relative paths are resolved against the content root's repository.</summary>
    [Required] public string SeedPath { get; set; } = "../../seeds";
}
