using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Economics;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Reports;

namespace TaobaoAlliance.Web.Admin;

/// <summary>
/// The traffic economics as a table (the page and its CSV are both written from it, as the webmaster's ReportTable is)
/// and its chart: paid clicks per day as bars, CPC margin per day as the line.
/// </summary>
public static class EconomicsTable
{
    public static ReportTable From(EconomicsReport report, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(localizer);
        string first = report.Query.By switch
        {
            EconomicsGrouping.Day => localizer["Day"],
            EconomicsGrouping.Site => localizer["Site"],
            EconomicsGrouping.Zone => localizer["Zone"],
            _ => localizer["Campaign"],
        };
        IReadOnlyList<string> headers =
        [
            first, localizer["Impressions"], localizer["Paid clicks"], localizer["Bought (webmaster share)"], localizer["Sold (seller price)"],
            localizer["Margin"], localizer["Margin rate"], localizer["CPS fee"], localizer["Subsidy cost"],
        ];
        return new(headers, [.. report.Rows.Select(r => Cells(ReportCell.Label(r.Label), r.Metrics))], Cells(ReportCell.Label(localizer["Total"]), report.Total));
    }

    private static IReadOnlyList<ReportCell> Cells(ReportCell label, EconomicsMetrics m) =>
    [
        label,
        ReportCell.Count(m.Impressions),
        ReportCell.Count(m.PaidClicks),
        ReportCell.Amount(m.Bought),
        ReportCell.Amount(m.Sold),
        ReportCell.Amount(m.Margin),
        ReportCell.Percent(m.MarginRate),
        ReportCell.Amount(m.CpsFee),
        ReportCell.Amount(m.Subsidy),
    ];

    public static IHtmlContent Chart(EconomicsReport report, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(localizer);
        var days = report.Days.Select(d => new DailyChart.ChartDay(d.Day, d.Metrics.PaidClicks, d.Metrics.Margin)).ToList();
        string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var clicks = days.Sum(d => d.Count);
        var margin = new Money(days.Sum(d => d.Amount.Fen));
        var description = days.Count == 0 ? localizer["No data."]
            : localizer["From {0} to {1}: {2} paid clicks and {3} CPC margin in all.", Date(days[0].Day), Date(days[^1].Day), clicks, margin];
        return DailyChart.Render(days, new DailyChart.ChartText(
            localizer["Paid clicks and CPC margin per day"],
            (date, n) => localizer["{0}: {1} paid clicks", date, n],
            (date, money) => localizer["{0}: {1} CPC margin", date, money],
            description), "chart-economics");
    }
}
