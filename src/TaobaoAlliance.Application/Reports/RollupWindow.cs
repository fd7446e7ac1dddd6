using TaobaoAlliance.Attribution;

namespace TaobaoAlliance.Application.Reports;

/// <summary>
/// A window of clicks from any instant up to now, split for the click rollups (Data/Reports/ClickRollups.cs),
/// which count whole China days: the days from <see cref="FirstWholeDay"/> come from the rollups, the part of a
/// day before it (from <see cref="Since"/> to <see cref="FirstWholeDayStart"/>, empty when the window starts at
/// midnight) from the raw clicks through an index on time. A rollup's last day runs up to now: clicks are stamped
/// by the clock when they are written, so none lies after now.
/// </summary>
public sealed record RollupWindow(DateTimeOffset Since)
{
    public DateOnly FirstWholeDay { get; } = ChinaTime.StartOf(ChinaTime.DayOf(Since)) == Since
        ? ChinaTime.DayOf(Since)
        : ChinaTime.DayOf(Since).AddDays(1);

    public DateTimeOffset FirstWholeDayStart => ChinaTime.StartOf(FirstWholeDay);
}
