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

    /// <summary>
    /// Days of clicks kept: ClickPartitions drops a day's partition once all of it is older than this. Keep it
    /// well beyond the attribution window and the time to settle and refund an order — an order, commission or CPC
    /// charge outlives its click (it keeps the click's id, rates and site on its own row). 0 keeps clicks forever.
    /// </summary>
    [Range(0, 36500)] public int RetentionDays { get; set; } = 400;

    /// <summary>
    /// In a cluster, how long a click waits for the cluster's count of recent clicks from its IP before it is counted on
    /// this node alone (ClusterRecentClicks): a bound on what an unreachable silo adds to a shopper's redirect.
    /// </summary>
    [Range(10, 10_000)] public int ClusterCountTimeoutMilliseconds { get; set; } = 500;

    public TimeSpan ClusterCountTimeout => TimeSpan.FromMilliseconds(ClusterCountTimeoutMilliseconds);

    /// <summary>Days ahead of today (China time) whose partitions are kept created, so clicks never wait for one.</summary>
    [Range(1, 366)] public int PartitionDaysAhead { get; set; } = 7;
}
