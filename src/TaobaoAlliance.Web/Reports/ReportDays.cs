using TaobaoAlliance.Web.Store;

namespace TaobaoAlliance.Web.Reports;

/// <summary>
/// Reports count by the marketplace's day, China Standard Time (UTC+8, no daylight saving), as the
/// storefront shows times, whatever the server's time zone: a click at 23:30 UTC is on the next day.
/// </summary>
public static class ReportDays
{
    /// <summary>Day keys in report queries are days since this date (the SQL writes <c>date - DATE '1970-01-01'</c>).</summary>
    public static readonly DateOnly Epoch = new(1970, 1, 1);

    public static TimeSpan Offset => StoreTime.Offset;

    public static DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The first instant of a China day, in UTC (Npgsql writes only UTC values to timestamptz).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    public static DateOnly FromKey(long key) => Epoch.AddDays(checked((int)key));

    public static long KeyOf(DateOnly day) => day.DayNumber - Epoch.DayNumber;
}

/// <summary>A run of whole China days, both ends included.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period a report covers: a year, leap day included.</summary>
    public const int MaxDays = 366;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>From the first instant of <see cref="From"/> (inclusive)…</summary>
    public DateTimeOffset Start => ReportDays.StartOf(From);

    /// <summary>…to the first instant after <see cref="To"/> (exclusive).</summary>
    public DateTimeOffset End => ReportDays.StartOf(To.AddDays(1));

    /// <summary>The last <paramref name="days"/> days, today included.</summary>
    public static ReportPeriod Last(int days, DateOnly today) => new(today.AddDays(-(days - 1)), today);

    public IEnumerable<DateOnly> EachDay()
    {
        for (var day = From; day <= To; day = day.AddDays(1)) yield return day;
    }
}
