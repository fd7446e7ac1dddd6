using System.Globalization;
using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Data.Tracking;

/// <summary>
/// How the clicks table is partitioned (migration PartitionedClicks): one partition per China day named
/// clicks_pYYYYMMDD, created ahead by <c>ensure_click_partitions(from_day, to_day)</c>, and a DEFAULT partition
/// for a click whose day has none. The primary key is (id, occurred_at), as PostgreSQL requires of a partitioned key.
/// </summary>
public static class ClickPartitioning
{
    /// <summary>Where a click goes when its day has no partition (it is never refused).</summary>
    public const string DefaultPartition = "clicks_default";

    /// <summary>The advisory lock every partition change takes (the SQL function and ClickPartitions alike).</summary>
    public const string AdvisoryLockSql = "hashtext('click_partitions')";

    private const string Prefix = "clicks_p";

    public static string NameOf(DateOnly day) => Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The China day a partition holds; null for the default partition or any other table.</summary>
    public static DateOnly? DayOf(string partition) =>
        partition is { Length: 16 } && partition.StartsWith(Prefix, StringComparison.Ordinal)
        && DateOnly.TryParseExact(partition.AsSpan(Prefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;

    /// <summary>
    /// Whether a unique violation is the click's key: PostgreSQL names the partition's own index
    /// (clicks_p20261129_pkey, clicks_default_pkey), not the parent's pk_clicks.
    /// </summary>
    public static bool IsPrimaryKey(string? constraintName) =>
        constraintName is not null
        && (constraintName == "pk_clicks"
            || (constraintName.StartsWith("clicks_", StringComparison.Ordinal) && constraintName.EndsWith("_pkey", StringComparison.Ordinal)));

    /// <summary>
    /// The click with this id, looked up in the day or two its id says it happened in (see <see cref="ClickIds"/>),
    /// so PostgreSQL prunes every other partition. An id that is not a UUIDv7 is looked up everywhere.
    /// </summary>
    public static IQueryable<Click> WithId(this IQueryable<Click> clicks, Guid id)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        if (ClickIds.OccurredRange(id) is not { } range) return clicks.Where(c => c.Id == id);
        var (from, to) = range;
        return clicks.Where(c => c.Id == id && c.OccurredAt >= from && c.OccurredAt <= to);
    }
}
