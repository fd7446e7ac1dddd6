using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Application.Clicks;

/// <summary>Settings of the click path, bound from the <c>Clicks</c> section and validated at start-up.</summary>
public sealed class ClickOptions
{
    public const string Section = "Clicks";

    /// <summary>
    /// Secret mixed into every IP hash. Without it, anyone holding the clicks table could recover the
    /// addresses by hashing all four billion IPv4 addresses. Keep it stable: a new salt makes the same
    /// visitor look like a new IP to the rate limit and to fraud review.
    /// </summary>
    [Required, MinLength(16)] public string IpHashSalt { get; set; } = "";

    /// <summary>
    /// Where clicks are spooled while PostgreSQL is unreachable (one directory per process, on a disk that
    /// survives a restart). Empty: the user's local application data folder, TaobaoAlliance/click-spool.
    /// </summary>
    public string SpoolDirectory { get; set; } = "";
}
