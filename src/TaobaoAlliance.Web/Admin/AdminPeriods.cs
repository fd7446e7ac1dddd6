using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Web.Admin;

/// <summary>One reporting period: from the start of a day in China Standard Time until now.</summary>
public sealed record AdminPeriod(string Key, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// The admin reports' periods: today, the last 7 and the last 30 days, counted in whole calendar days
/// of the marketplace's clock (UTC+8), today included — the days a Chinese business closes its books on.
/// </summary>
public static class AdminPeriods
{
    public const string Today = "today";
    public const string Week = "7d";
    public const string Month = "30d";

    public static IReadOnlyList<AdminPeriod> Standard(DateTimeOffset now)
    {
        var midnight = ChinaTime.StartOf(ChinaTime.DayOf(now));
        return
        [
            new(Today, midnight, now),
            new(Week, midnight.AddDays(-6), now),
            new(Month, midnight.AddDays(-29), now),
        ];
    }
}
