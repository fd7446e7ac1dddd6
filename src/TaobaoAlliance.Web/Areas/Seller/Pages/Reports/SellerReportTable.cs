using System.Globalization;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution.Reports;
using TaobaoAlliance.Web.Reports;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Reports;

/// <summary>The seller's per-day table (newest day first, then the total), for the page and its CSV file alike.</summary>
public static class SellerReportTable
{
    public static ReportTable From(SellerReportResult report, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(localizer);
        IReadOnlyList<string> headers =
        [
            localizer["Day"], localizer["Commission"], localizer["CPC"], localizer["Total spend"], localizer["Alliance orders"],
            localizer["Alliance GMV"], localizer["Refunds"], localizer["ROI"], localizer["New customers"], localizer["Returning customers"],
        ];
        return new(headers,
            [.. report.Days.OrderByDescending(d => d.Key)
                .Select(d => Cells(ReportCell.Label(d.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), d.Value))],
            Cells(ReportCell.Label(localizer["Total"]), report.Total));
    }

    /// <summary>A return per yuan with two decimals; a dash when nothing was spent.</summary>
    public static ReportCell Ratio(decimal? ratio) => ratio is { } r
        ? new(r.ToString("0.00", CultureInfo.InvariantCulture), r.ToString("0.00", CultureInfo.InvariantCulture), true)
        : ReportCell.NotApplicable;

    private static IReadOnlyList<ReportCell> Cells(ReportCell label, SellerMetrics m) =>
    [
        label,
        ReportCell.Amount(m.CommissionSpend),
        ReportCell.Amount(m.CpcSpend),
        ReportCell.Amount(m.Spend),
        ReportCell.Count(m.AllianceOrders),
        ReportCell.Amount(m.AllianceGmv),
        ReportCell.Amount(m.Refunds),
        Ratio(m.Roi),
        ReportCell.Count(m.NewCustomers),
        ReportCell.Count(m.ReturningCustomers),
    ];
}
