using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Application.Reports;

/// <summary>
/// Day keys of report queries: days since 1970-01-01 of the marketplace's clock (<see cref="ChinaTime"/>),
/// which the SQL writes as <c>date - DATE '1970-01-01'</c>.
/// </summary>
public static class ReportDays
{
    public static readonly DateOnly Epoch = new(1970, 1, 1);

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
    public DateTimeOffset Start => ChinaTime.StartOf(From);

    /// <summary>…to the first instant after <see cref="To"/> (exclusive).</summary>
    public DateTimeOffset End => ChinaTime.StartOf(To.AddDays(1));

    /// <summary>The last <paramref name="days"/> days, today included.</summary>
    public static ReportPeriod Last(int days, DateOnly today) => new(today.AddDays(-(days - 1)), today);

    public IEnumerable<DateOnly> EachDay()
    {
        for (var day = From; day <= To; day = day.AddDays(1)) yield return day;
    }
}
